#!/usr/bin/env bash
# Installs what jconv's tests need on a Debian machine, only where it is missing:
#  - ocl-icd-opencl-dev: the ICD loader with the unversioned libOpenCL.so that JOCL loads
#    (ocl-icd-libopencl1 alone is not enough: JOCL then fails with "Could not initialize native OpenCL library");
#  - pocl-opencl-icd: PoCL, a real OpenCL device on the CPU cores;
#  - clinfo, to show which device the tests run on;
#  - a JDK 17+ and Maven, which the build needs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
install_missing ocl-icd-opencl-dev pocl-opencl-icd clinfo mvn=maven javac=openjdk-17-jdk-headless
echo "ci: OpenCL devices:"
clinfo -l || true
