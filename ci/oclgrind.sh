#!/usr/bin/env bash
# Runs jconv's OpenCL kernels under Oclgrind, an OpenCL device simulator that checks every memory access of every
# work-item, and fails on the kernel bugs it reports, not only on wrong results. The PoCL pass of ci/test.sh cannot
# see these: a read past the end of a buffer usually lands in allocated memory and the result can still be right, and
# a missing barrier may never show on a CPU driver that runs a work-group's items in order.
#
# What runs: the small golden cases (src/jconv/test/resources/golden, made by PyTorch; selection rule below) and the golden
# networks (src/jconv/test/resources/golden-nets: every fused activation, folded BatchNorm and the elementwise kernel)
# through every kernel variant, with `scripts/jconv verify --device opencl`:
#  - direct with the GPU tuning row (Oclgrind reports itself as a GPU): conv2d, conv2d_depthwise, conv_transpose2d,
#    conv_transpose2d_flat, all with 4-lane vectors;
#  - direct with the CPU tuning row (JCONV_TUNING=cpu), what PoCL runs: the same kernels with 8- and 16-lane vectors,
#    plus conv2d_row_pairs, conv2d_pointwise and conv2d_joint_rows, which only the CPU row reaches (its JV=2 also runs
#    conv_transpose2d_flat with two vectors per work-item, of one plane or of two images);
#  - gemm with the parameters Oclgrind gets by default (KernelDefaults' generic GPU row, 32x32 tiles, SA=1 SB=1);
#  - gemm with four small explicit parameter sets, one per SA/SB combination, whose tiles (MWG, NWG, KWG) divide
#    neither the channel, pixel nor reduction counts of most cases, so partial tiles and clamped indices run.
# What fails it (exit 1; each finding names the variant and its log, kept under target/oclgrind/):
#  - verify exits non-zero or does not end with "N passed, 0 failed", or ran on a device other than Oclgrind;
#  - anything on stderr but jconv's own DEBUG and INFO log lines: Oclgrind writes its reports there (invalid reads and
#    writes, data races, barrier divergence, API misuse) and a clean run writes nothing else, so any other line is
#    treated as a finding, kernel compiler warnings and jconv warnings included;
#  - a variant whose runs never launched one of the sub-kernels it is meant to cover: the cases' shapes decide which
#    sub-kernel runs, so a change to the planners' rules could otherwise drop one from this check unnoticed.
# Usage: ci/oclgrind.sh [CASE_DIR...]  (default: the selection below; a given list skips the coverage check).
# ci/test.sh runs it as its third pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ci/lib.sh

install_missing oclgrind ocl-icd-opencl-dev mvn=maven javac=openjdk-17-jdk-headless
icd=/usr/lib/oclgrind/liboclgrind-rt-icd.so
if [ ! -f "$icd" ]; then
  echo "ci: oclgrind: error: $icd is missing although the oclgrind package is installed" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A vendors directory holding Oclgrind's ICD alone: `--device opencl` then cannot land on PoCL or a real GPU.
mkdir "$work/vendors"
echo "$icd" >"$work/vendors/oclgrind.icd"
export OCL_ICD_VENDORS="$work/vendors"
export OCLGRIND_DATA_RACES=1
# Checks the host's OpenCL calls too; it reported nothing on jconv's host code when this script was written.
export OCLGRIND_CHECK_API=1
# Off on purpose: Oclgrind 21.10's uninitialised-value check mishandles LLVM's freeze instruction (false reports).
unset OCLGRIND_UNINITIALIZED
# Unoptimised builds. Oclgrind 21.10 interprets `sext <N x i1>` wrongly when a lane came from a scalar compare
# (insertelement): it gives 1 instead of -1, because its sext tests the whole vector's width for 1 bit instead of the
# element's, so select() then takes the wrong operand. LLVM's optimiser makes that pattern from the direct kernels'
# lane masks (`int4 inside = rows && columns`), and six golden cases then fail under Oclgrind alone (PoCL, the Java
# backend and Oclgrind at -O0 all match PyTorch). -O0 also keeps every memory access the source makes, which is what
# the checks are for.
export OCLGRIND_BUILD_OPTIONS="-cl-opt-disable"
# A fresh cache directory: no tuning file from ~/.cache/jconv can take part (every variant is forced anyway).
export JCONV_CACHE_DIR="$work/cache"
# The variants are chosen with JCONV_KERNEL and JCONV_TUNING, which a -Djconv.kernel or -Djconv.tuning passed in
# through JCONV_JAVA_OPTS would override, making every variant the same one.
unset JCONV_JAVA_OPTS

# Cases: every golden case whose .npy files (inputs, weights, bias, expected output) total at most 2 KiB, plus
# c2d_k1_long_rows, the only one that reaches conv2d_pointwise (which needs 384 pixels per image), and the three
# c2d_joint_rows cases, which reach conv2d_joint_rows (16 input channels per group make them larger), and the three
# ct2d_joint_images cases, batches of 4x4 inputs on which the CPU row's conv_transpose2d_flat joins the vectors of
# consecutive images (JOINT_IMAGES; batches make them larger), and the three ct2d_channel_vectors cases, whose 8 and 16
# output channels let the channel-vector variants below reach conv_transpose2d_channel_vectors. Oclgrind
# interprets every work-item one instruction at a time, so the cost grows with the case: these 311 of the 393 cases
# run all nine variants in about 3 minutes on the project's 2-core machine (all 380 but the two seed cases took 2.5
# minutes on idle cores and 5.5 with another job running; the seed cases, 128-channel layers, take many minutes
# each). They cover conv2d with each padding mode, 'same', 'valid', negative and asymmetric padding, stride,
# dilation, groups, depthwise and 1x1 kernels, no bias, unbatched input; conv_transpose2d with stride, padding,
# output_padding, output_size, dilation, groups and depthwise; the smaller fuzz cases; and the rejected cases
# (validation must refuse them before any kernel runs).
max_case_bytes=2048
always=(c2d_k1_long_rows c2d_joint_rows_c16_odd_height c2d_joint_rows_g2_dilated_nobias c2d_joint_rows_same_k2x3
  ct2d_joint_images_b3 ct2d_joint_images_b5_g2_op1_nobias ct2d_joint_images_k2s2_b4
  ct2d_channel_vectors_s2 ct2d_channel_vectors_g2_s3_d2_op1_nobias ct2d_channel_vectors_k2x3_s1x2)
cases=("$@")
check_coverage=1
if [ ${#cases[@]} -gt 0 ]; then
  check_coverage=0  # a hand-picked list need not reach every sub-kernel: it is checked for errors only
else
  for dir in src/jconv/test/resources/golden/*/; do
    name="$(basename "$dir")"
    bytes="$(find "$dir" -maxdepth 1 -name '*.npy' -printf '%s\n' | awk '{ total += $1 } END { print total + 0 }')"
    if [ "$bytes" -le "$max_case_bytes" ] || [[ " ${always[*]} " == *" $name "* ]]; then
      cases+=("${dir%/}")
    fi
  done
  # Every network case (scripts/gen-golden-nets.py): small nn.Sequentials whose convolutions carry each fused
  # activation and folded BatchNorm, and whose standalone BatchNorm2d and activations run the elementwise kernel.
  for dir in src/jconv/test/resources/golden-nets/*/; do
    cases+=("${dir%/}")
  done
fi
if [ ${#cases[@]} -eq 0 ]; then
  echo "ci: oclgrind: error: no golden case selected" >&2
  exit 1
fi

logs=target/oclgrind
rm -rf "$logs"
mkdir -p "$logs"
# Builds the CLI jar if needed, and shows that Oclgrind is the device the runs get.
scripts/jconv devices | tee "$logs/devices.txt"
if ! grep -q 'opencl:0 .*Oclgrind' "$logs/devices.txt"; then
  echo "ci: oclgrind: error: Oclgrind is not opencl:0 with OCL_ICD_VENDORS=$OCL_ICD_VENDORS" >&2
  exit 1
fi

direct_kernels="conv2d conv2d_depthwise conv_transpose2d conv_transpose2d_flat channel_affine"
failures=()
total_start=$SECONDS

# run_variant NAME KERNEL TUNING EXPECTED: verifies every case with JCONV_KERNEL=KERNEL and JCONV_TUNING=TUNING
# (empty: the device's own row), then checks the result, the stderr log and that each sub-kernel of EXPECTED ran.
run_variant() {
  local name="$1" kernel="$2" tuning="$3" expected="$4"
  local slug
  slug="$(echo "$name" | tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9=]+/-/g; s/^-+|-+$//g')"
  local out="$logs/$slug.stdout" log="$logs/$slug.stderr"
  local start=$SECONDS status=0 problems=()
  # At DEBUG, jconv logs one line per launch naming the sub-kernel: the coverage check reads them.
  JCONV_KERNEL="$kernel" JCONV_TUNING="$tuning" JCONV_LOG_LEVEL=DEBUG \
    scripts/jconv verify --device opencl "${cases[@]}" >"$out" 2>"$log" || status=$?
  local summary
  summary="$(tail -n 1 "$out")"
  if ! head -n 1 "$out" | grep -q '"Oclgrind Simulator"'; then
    problems+=("did not run on Oclgrind: $(head -n 1 "$out")")
  fi
  if [ "$status" -ne 0 ] || ! [[ "$summary" =~ ^[0-9]+\ passed,\ 0\ failed$ ]]; then
    local failed_cases
    failed_cases="$(grep '^FAIL' "$out" | head -n 5 | sed 's/^/      /' || true)"
    problems+=("verify failed (exit $status): $summary${failed_cases:+$'\n'$failed_cases}")
  fi
  # Everything on stderr but jconv's DEBUG and INFO lines is a finding; name the kinds Oclgrind reports.
  local findings="$work/findings"
  grep -Ev '^jconv (DEBUG|INFO) ' "$log" | grep -v '^[[:space:]]*$' >"$findings" || true
  if [ -s "$findings" ]; then
    local kinds=()
    grep -qiE 'invalid (read|write)|invalid memory' "$findings" && kinds+=("invalid memory access")
    grep -qi 'data race' "$findings" && kinds+=("data race")
    grep -qi 'divergence' "$findings" && kinds+=("barrier divergence")
    grep -qi 'uninitiali' "$findings" && kinds+=("uninitialised value")
    grep -qi 'runtime error' "$findings" && kinds+=("OpenCL API error")
    grep -qi 'oclgrind' "$findings" && kinds+=("Oclgrind message")
    [ ${#kinds[@]} -eq 0 ] && kinds+=("unexpected output")
    local joined
    joined="$(printf '%s, ' "${kinds[@]}")"
    problems+=("stderr has $(wc -l <"$findings") line(s) of diagnostics (${joined%, }); the first ones:"$'\n'"$(
      head -n 12 "$findings" | sed 's/^/      /')")
  fi
  local kernel_name
  if [ "$check_coverage" = 1 ]; then
    for kernel_name in $expected; do
      grep -q "launching $kernel_name of " "$log" || problems+=("no case launched sub-kernel $kernel_name")
    done
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    echo "ci: oclgrind: ok     $name: $summary, clean ($((SECONDS - start)) s)"
  else
    echo "ci: oclgrind: FAILED $name ($((SECONDS - start)) s; logs $out, $log):" >&2
    printf '    - %s\n' "${problems[@]}" >&2
    failures+=("$name")
  fi
}

echo "ci: oclgrind: ${#cases[@]} case(s) per variant; data-race and API checks on, builds unoptimised"
run_variant "direct, GPU tuning row" direct gpu "$direct_kernels"
run_variant "direct, CPU tuning row" direct cpu "$direct_kernels conv2d_row_pairs conv2d_pointwise conv2d_joint_rows"
# The channel-vector kernels (output channels in the lanes), on the layers they take (output channels per group a
# multiple of CV x VW): blocks of 4 and 8 channels, a masked path on every row end, ConvTranspose2d's output rows
# staged in local memory behind a barrier, and both weight re-layout kernels.
channel_vector_kernels="conv2d_channel_vectors channel_vector_weights conv_transpose2d_channel_vectors
  transposed_channel_vector_weights"
for parameters in OC=4,OCT=4,VW=4,WG=2,WORK=1,JV=1,CV=1,PX=3 OC=4,OCT=4,VW=4,WG=4,WORK=1,JV=1,CV=2,PX=5; do
  run_variant "direct:$parameters" "direct:$parameters" "" "$channel_vector_kernels"
done
run_variant "gemm, Oclgrind's default parameters" gemm "" "conv_gemm channel_affine"
for parameters in MWG=4,NWG=10,KWG=3,MDIMC=2,NDIMC=5,SA=1,SB=1 MWG=6,NWG=8,KWG=5,MDIMC=3,NDIMC=4,SA=0,SB=1 \
    MWG=2,NWG=12,KWG=7,MDIMC=1,NDIMC=4,SA=1,SB=0 MWG=3,NWG=9,KWG=4,MDIMC=3,NDIMC=3,SA=0,SB=0; do
  run_variant "gemm:$parameters" "gemm:$parameters" "" conv_gemm
done

if [ ${#failures[@]} -gt 0 ]; then
  echo "ci: oclgrind: ${#failures[@]} variant(s) failed: $(printf '%s; ' "${failures[@]}")logs in $logs" >&2
  exit 1
fi
echo "ci: oclgrind: every variant clean on ${#cases[@]} case(s) in $((SECONDS - total_start)) s"
