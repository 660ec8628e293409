#!/usr/bin/env bash
# Kernel timing: GFLOP/s per workload shape and device, side by side with PyTorch and ONNX Runtime in the same run.
#   scripts/bench.sh [--device java|opencl|all] [--workload FILE] [--format table|csv|json] [--compare-torch]
#                    [--compare-ort] [--plot FILE.png] [--budget SECONDS]
# Default workload: scripts/workload.csv. Progress goes to stderr, the report to stdout.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/jconv" bench "$@"
