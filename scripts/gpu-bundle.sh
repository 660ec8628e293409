#!/usr/bin/env bash
# Builds the GPU run bundle: one folder that runs jconv's GPU check on a machine with an NVIDIA driver and PyTorch
# but no JDK and no network (our lent H200 machines: about 15 minutes each, at most 64 MiB of files carried).
#   scripts/gpu-bundle.sh DIR          then, on the GPU machine:   DIR/run.sh [--out OUT] [--budget SECONDS]
# DIR gets (at most 60 MiB, checked at the end):
#   runtime.tar.gz    a jlinked Java runtime (Temurin 25's jlink), only the modules jconv-cli needs; run.sh unpacks
#                     it into a temporary folder. Packed, it is about 31 MiB instead of 64 MiB (Temurin's libjvm.so
#                     alone is 29 MiB), which is what keeps the bundle far enough under the 64 MiB a run may carry.
#   jconv-cli.jar     the shaded CLI (built with Maven when missing or older than the sources; no ONNX Runtime)
#   lib/              the ICD loader libOpenCL.so.1 from Debian's ocl-icd-libopencl1, and a copy named libOpenCL.so
#                     (JOCL loads the unversioned name)
#   fonts/            DejaVu Sans and Sans Bold from Debian's fonts-dejavu-core, with its copyright file: the chart
#                     needs fonts, and GPU machine images often have neither fonts nor fontconfig (Java then fails
#                     with "Fontconfig head is null"); run.sh points Java's font configuration at these two
#   golden/           the golden cases (src/jconv/test/resources/golden), for `jconv verify`
#   workload.csv, torch-bench.py, run.sh (from scripts/gpu-run.sh)
# DIR is replaced when it exists and holds a previous bundle; any other non-empty DIR is refused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Temurin 25's jlink, whatever JDK builds the jar: the runtime must be a current one with the Vector API, and jlink
# can only link the modules of its own JDK.
jdk="${JCONV_BUNDLE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
limit_mib=60

if [ $# -ne 1 ] || [ "${1#-}" != "$1" ]; then
  echo "usage: scripts/gpu-bundle.sh DIR" >&2
  exit 2
fi
dir="$1"
for tool in jlink jdeps; do
  if [ ! -x "$jdk/bin/$tool" ]; then
    echo "gpu-bundle: error: $jdk/bin/$tool is missing (set JCONV_BUNDLE_JDK to a JDK 25 with jlink)" >&2
    exit 2
  fi
done
if [ -e "$dir" ] && [ ! -f "$dir/.jconv-gpu-bundle" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "gpu-bundle: error: $dir exists and is not a jconv GPU bundle; refusing to replace it" >&2
  exit 2
fi

# 1. The CLI jar, rebuilt when missing or older than anything that goes into it (as scripts/jconv decides; the
#    workload and torch-bench.py are jar resources too).
# shellcheck source=scripts/cli-jar.sh
source "$root/scripts/cli-jar.sh"
jar="$(cli_jar "$root" gpu-bundle)"

# 2. The ICD loader: the real file of Debian's ocl-icd-libopencl1 (not the -dev symlink), installed when missing.
if ! dpkg -s ocl-icd-libopencl1 >/dev/null 2>&1; then
  echo "gpu-bundle: installing ocl-icd-libopencl1" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ocl-icd-libopencl1
fi
# dpkg lists the soname symlink libOpenCL.so.1; readlink -f gives the real file behind it.
soname="$(dpkg -L ocl-icd-libopencl1 | grep -E '/libOpenCL\.so\.1$' | head -n 1 || true)"
loader="$([ -n "$soname" ] && readlink -f "$soname" || true)"
if [ -z "$loader" ] || [ ! -f "$loader" ]; then
  echo "gpu-bundle: error: ocl-icd-libopencl1 is installed but holds no libOpenCL.so.1 file" >&2
  exit 2
fi

# 3. The chart's fonts, from Debian's package (installed when missing).
font_dir=/usr/share/fonts/truetype/dejavu
if [ ! -f "$font_dir/DejaVuSans.ttf" ] || [ ! -f "$font_dir/DejaVuSans-Bold.ttf" ]; then
  echo "gpu-bundle: installing fonts-dejavu-core" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core
fi

# 4. The modules: what jdeps finds in the shaded jar (JOCL, Logback, XChart: java.desktop for ImageIO's PNG writer,
#    java.naming for Logback), plus the ones it cannot see: jdk.incubator.vector (the Java backend loads its fast
#    path by reflection) and java.management (Logback's JMX support).
modules="$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar" \
    2> >(grep -v '^WARNING: Using incubator modules' >&2))"
modules="$(echo "$modules,jdk.incubator.vector,java.management" | tr , '\n' | sort -u | paste -sd, -)"

stage="$(mktemp -d "${TMPDIR:-/tmp}/jconv-bundle.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
echo "gpu-bundle: jlink --add-modules $modules" >&2
# zip-0: the module image stays uncompressed inside, because gzip over the whole runtime packs it tighter (about
# 31 MiB) than jlink's zip-9 per class plus gzip (38 MiB).
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-0 \
    --output "$stage/runtime" 2>&1 | { grep -v '^WARNING: Using incubator modules' || true; } >&2
cp "$jar" "$stage/jconv-cli.jar"
mkdir "$stage/lib"
cp "$loader" "$stage/lib/libOpenCL.so.1"
# A copy, not a symlink: 69 KB, and nothing depends on a file transfer keeping links.
cp "$loader" "$stage/lib/libOpenCL.so"
mkdir "$stage/fonts"
cp "$font_dir/DejaVuSans.ttf" "$font_dir/DejaVuSans-Bold.ttf" "$stage/fonts/"
cp /usr/share/doc/fonts-dejavu-core/copyright "$stage/fonts/COPYRIGHT"
cp -r "$root/src/jconv/test/resources/golden" "$stage/golden"
cp "$root/scripts/workload.csv" "$root/scripts/torch-bench.py" "$stage/"
cp "$root/scripts/gpu-run.sh" "$stage/run.sh"
chmod +x "$stage/run.sh" "$stage/torch-bench.py"
echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')" \
    >"$stage/.jconv-gpu-bundle"

# The runtime must start, and the jar's main class must load in it: a missing module fails here, not on the GPU.
"$stage/runtime/bin/java" --add-modules=jdk.incubator.vector -cp "$stage/jconv-cli.jar" dev.jconv.cli.Main --help \
    >/dev/null 2>&1 || { echo "gpu-bundle: error: the linked runtime cannot run jconv-cli.jar" >&2; exit 1; }
runtime_mib="$(du -sm "$stage/runtime" | cut -f1)"
tar -czf "$stage/runtime.tar.gz" -C "$stage" runtime
rm -rf "$stage/runtime"

size_mib="$(du -sm "$stage" | cut -f1)"
if [ "$size_mib" -gt "$limit_mib" ]; then
  echo "gpu-bundle: error: the bundle is $size_mib MiB, over the $limit_mib MiB limit" >&2
  exit 1
fi
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
mv "$stage" "$dir"
trap - EXIT
chmod 755 "$dir"
echo "gpu-bundle: $dir: $(du -sm "$dir" | cut -f1) MiB on disk, $(du -sm --apparent-size "$dir" | cut -f1) MiB of" \
    "bytes (runtime.tar.gz $(du -sm "$dir/runtime.tar.gz" | cut -f1) MiB, unpacked $runtime_mib MiB; jconv-cli.jar" \
    "$(du -sm "$dir/jconv-cli.jar" | cut -f1) MiB; golden $(du -sm "$dir/golden" | cut -f1) MiB); run: $dir/run.sh --out OUT"
