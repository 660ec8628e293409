#!/usr/bin/env bash
# Kernel timing: GFLOP/s per workload shape and device, side by side with PyTorch and ONNX Runtime in the same run.
#   scripts/bench.sh [--device java|opencl|all] [--workload FILE] [--format table|csv|json] [--compare-torch]
#                    [--compare-ort] [--plot FILE.png] [--budget SECONDS]
# Default workload: scripts/workload.csv. Progress goes to stderr, the report to stdout.
# The heap is touched once at start (-XX:+AlwaysPreTouch): a run spends a second or two per shape, too little for the
# JVM to cycle its young generation even once, so without it every Java-backend output lands on pages the OS maps on
# first write (on this VM, 5 ms instead of 0.4 ms for depthwise3x3's 1.6 MB output), which a long-running process pays
# only at its start. ONNX Runtime's arena and the OpenCL buffer pool reuse their memory anyway. Add flags of your own
# with JCONV_JAVA_OPTS.
set -euo pipefail
export JCONV_JAVA_OPTS="-XX:+AlwaysPreTouch ${JCONV_JAVA_OPTS:-}"
exec "$(dirname "${BASH_SOURCE[0]}")/jconv" bench "$@"
