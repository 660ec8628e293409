#!/usr/bin/env bash
# Installs what jconv's tests need on a Debian machine, only where it is missing:
#  - ocl-icd-opencl-dev: the ICD loader with the unversioned libOpenCL.so that JOCL loads
#    (ocl-icd-libopencl1 alone is not enough: JOCL then fails with "Could not initialize native OpenCL library");
#  - pocl-opencl-icd: PoCL, a real OpenCL device on the CPU cores;
#  - clinfo, to show which device the tests run on;
#  - a JDK 17+ and Maven, which the build needs.
set -euo pipefail
needed=()
for package in ocl-icd-opencl-dev pocl-opencl-icd clinfo; do
  dpkg -s "$package" >/dev/null 2>&1 || needed+=("$package")
done
command -v mvn >/dev/null 2>&1 || needed+=(maven)
command -v javac >/dev/null 2>&1 || needed+=(openjdk-17-jdk-headless)
if [ ${#needed[@]} -gt 0 ]; then
  echo "ci: installing ${needed[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi
echo "ci: OpenCL devices:"
clinfo -l || true
