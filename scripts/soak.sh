#!/usr/bin/env bash
# The soak: `jconv soak` (see README, "Fault injection and the soak"). Mixed Conv2d and ConvTranspose2d calls on the
# OpenCL device and the Java backend from several threads for M minutes, each result checked against the Java
# backend's; one line a minute with calls, mismatches, errors, live device buffers, device memory and resident
# memory. Exits 1 on any mismatch or error.
#   scripts/soak.sh [--minutes M] [--threads T] [--seed S] [--device opencl[:N]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# A bounded heap keeps the resident-memory column about leaks rather than about how far the JVM lets its heap grow
# (a heap setting in JCONV_JAVA_OPTS comes later on the command line, so it wins).
export JCONV_JAVA_OPTS="-Xmx1g ${JCONV_JAVA_OPTS:-}"
exec "$root/scripts/jconv" soak "$@"
