#!/usr/bin/env bash
# CI check of the GPU run bundle (scripts/gpu-bundle.sh), on PoCL instead of a GPU, in about a minute and a half:
# builds the bundle, runs its run.sh --quick (12 golden cases, 2 bench shapes) with a `java` on PATH that fails
# loudly, so a run that reached for a system java fails here rather than on a lent GPU machine, and checks what
# comes back: verify passed, the bench table and chart, at most 8 flat files. Where no NVIDIA driver is installed it
# also checks that run.sh without --icd says so and exits 3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$PWD/target/pocl-cache}"
check="$PWD/target/gpu-bundle-check"
rm -rf "$check"
mkdir -p "$check/no-java"

fail() { echo "ci: gpu-bundle check FAILED: $*" >&2; exit 1; }

echo "ci: gpu-bundle: building the bundle"
scripts/gpu-bundle.sh "$check/bundle"
size_mib="$(du -sm "$check/bundle" | cut -f1)"
[ "$size_mib" -le 60 ] || fail "the bundle is $size_mib MiB, over 60 MiB"

# A java that is found first on PATH and refuses to run: the bundle must use its own runtime only.
printf '#!/bin/sh\necho "SYSTEM JAVA CALLED: $0 $*"\nexit 99\n' >"$check/no-java/java"
chmod +x "$check/no-java/java"

echo "ci: gpu-bundle: run.sh --quick on PoCL"
set +e
env -u JAVA_HOME PATH="$check/no-java:$PATH" "$check/bundle/run.sh" --icd /etc/OpenCL/vendors/pocl.icd \
    --budget 60 --quick --out "$check/out"
code=$?
set -e
[ "$code" = 0 ] || fail "run.sh exited $code"
grep -q 'SYSTEM JAVA CALLED' "$check/out/run.log" && fail "run.sh ran the system java"
grep -qx '12 passed, 0 failed' "$check/out/verify.txt" || fail "verify did not pass 12 of 12 (see $check/out/verify.txt)"
[ "$(grep -c . "$check/out/bench.csv")" = 3 ] || fail "bench.csv does not hold a header and 2 shapes"
[ -s "$check/out/bench.png" ] || fail "no bench.png"
[ -z "$(find "$check/out" -mindepth 1 ! -type f)" ] || fail "OUT holds something that is not a plain file"
files="$(find "$check/out" -type f | wc -l)"
[ "$files" -le 8 ] || fail "OUT holds $files files, more than 8"

if [ -z "$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true) | grep libnvidia-opencl.so.1)" ] \
    && [ ! -d /usr/local/nvidia ]; then
  echo "ci: gpu-bundle: run.sh without --icd on a machine without NVIDIA's driver"
  set +e
  message="$(env -u OUT "$check/bundle/run.sh" --out "$check/no-driver" 2>&1)"
  code=$?
  set -e
  [ "$code" = 3 ] || fail "run.sh without a driver exited $code, not 3: $message"
  [ "$(printf '%s\n' "$message" | wc -l)" = 1 ] || fail "run.sh without a driver said more than one line: $message"
  [ ! -e "$check/no-driver" ] || fail "run.sh without a driver created its OUT folder"
  echo "ci: gpu-bundle: exit 3: $message"
fi
echo "ci: gpu-bundle check passed (bundle $size_mib MiB, $files files back)"
