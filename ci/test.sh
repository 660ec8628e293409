#!/usr/bin/env bash
# jconv's test command (the README's): installs OpenCL (PoCL) if missing, runs the whole suite on the real OpenCL
# device with JCONV_REQUIRE_OPENCL=1 (a missing device fails, never skips), then runs it again with OpenCL made
# unavailable, to prove that auto falls back to the Java backend and everything still passes, and finally runs the
# kernels under the Oclgrind simulator (ci/oclgrind.sh), which fails on memory errors and data races that give right
# answers on PoCL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash ci/install-opencl.sh
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$PWD/target/pocl-cache}"

echo "ci: pass 1 of 3: the whole suite, OpenCL required (then both artifacts installed, with sources and javadoc)"
JCONV_REQUIRE_OPENCL=1 mvn -B -ntp install
scripts/jconv devices

# The library used by an application outside the build: javac against the installed jar, run with no JVM flags.
echo "ci: an application using the installed library, with no JVM flags"
bash ci/app-check.sh

# The GPU run bundle (scripts/gpu-bundle.sh) built and run end to end on PoCL, with no system java usable.
echo "ci: the GPU run bundle, on PoCL"
bash ci/gpu-bundle-check.sh

# A minute of the soak: mixed calls from 2 threads on the OpenCL device and the Java backend, each result checked against
# the Java backend's; fails on a mismatch, an error, or device buffers still live at the end.
echo "ci: a 1-minute soak"
scripts/soak.sh --minutes 1 --threads 2

# The suite above runs the device's default kernels (on PoCL: the direct family, with random parameter sets of both
# families in KernelParametersTest). Every golden case and golden network once more with the GEMM family forced, with
# local-memory tiles that do not divide the problems, so both variants, fused epilogues included, pass the golden files
# on the real device.
echo "ci: golden cases with the GEMM kernel forced"
JCONV_KERNEL="gemm:MWG=32,NWG=16,KWG=8,MDIMC=8,NDIMC=4,SA=1,SB=1" \
  scripts/jconv verify --device opencl src/jconv/test/resources/golden src/jconv/test/resources/golden-nets

# The same for the channel-vector kernels (direct with CV > 0, 4-channel blocks so that many cases qualify), on the
# Conv2d and ConvTranspose2d cases and networks; the rest fall back to the pixel-vector kernels the suite has run.
# The launch lines at DEBUG show that each kernel ran.
echo "ci: golden cases with the channel-vector kernels forced"
channel_vector_log="$(mktemp)"
JCONV_KERNEL="direct:OC=4,OCT=4,VW=4,WG=2,WORK=1,JV=1,CV=1,PX=3" JCONV_LOG_LEVEL=DEBUG \
  scripts/jconv verify --device opencl src/jconv/test/resources/golden/{c2d,ct2d,fuzz,seed}_* \
  src/jconv/test/resources/golden-nets 2>"$channel_vector_log" || {
  grep -v '^jconv DEBUG ' "$channel_vector_log" | tail -n 20 >&2
  exit 1
}
# kernel, fewest launches expected
for expected in conv2d_channel_vectors,30 conv_transpose2d_channel_vectors,12; do
  kernel="${expected%,*}"
  launches="$(grep -c "launching $kernel of" "$channel_vector_log" || true)"
  echo "ci: $kernel ran in $launches launch(es)"
  if [ "$launches" -lt "${expected#*,}" ]; then
    echo "ci: the forced $kernel ran in only $launches launches (expected at least ${expected#*,})" >&2
    rm -f "$channel_vector_log"
    exit 1
  fi
done
rm -f "$channel_vector_log"

echo "ci: pass 2 of 3: OpenCL made unavailable (OCL_ICD_VENDORS points at an empty directory)"
no_vendors="$(mktemp -d)"
trap 'rm -rf "$no_vendors"' EXIT
OCL_ICD_VENDORS="$no_vendors" JCONV_EXPECT_NO_OPENCL=1 mvn -B -ntp test
OCL_ICD_VENDORS="$no_vendors" scripts/jconv devices

# The passes above run the Java backend at this CPU's preferred vector width (512 bits here). AVX2 laptops and servers
# get the 256-bit kernel, so the Java backend's tests and the golden files run once more with the JVM capped at 256-bit
# vectors (about a minute: only these tests, on the Java device).
echo "ci: the Java backend's tests and the golden files on the 256-bit Vector API kernel"
OCL_ICD_VENDORS="$no_vendors" JCONV_EXPECT_NO_OPENCL=1 mvn -B -ntp test -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='dev.jconv.backend.java.*Test,GoldenCasesTest,GoldenNetsTest' \
  -Dtest.jvm.args="-XX:MaxVectorSize=32 -Djconv.test.expectedVectorBits=256"

echo "ci: pass 3 of 3: the kernels under Oclgrind (invalid memory accesses, data races, barrier divergence)"
bash ci/oclgrind.sh
