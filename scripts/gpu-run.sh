#!/usr/bin/env bash
# jconv's GPU check, run from the bundle that scripts/gpu-bundle.sh builds (this file is the bundle's run.sh). For
# machines lent for a few minutes with an NVIDIA driver and PyTorch but no JDK and no network: it uses only the
# bundle's own Java runtime, never a system java.
#   run.sh [--out OUT] [--budget SECONDS] [--icd FILE] [--quick | --cases N]
#   --out OUT       where the results go (default: $OUT when set, else ./gpu-out); at most 8 files, all flat:
#                   run.log (this console), devices.txt, verify.txt, tune.log, tuning.json, bench.csv, bench.png,
#                   gpu-vs-cudnn.csv
#   --budget S      the whole run's time in seconds (default 420, so it ends well inside 9 minutes): verify gets 35%,
#                   the bench 20%, PyTorch 15%, the tuner what is left; every step runs under `timeout`
#   --icd FILE      use this OpenCL ICD file (say /etc/OpenCL/vendors/pocl.icd) instead of finding NVIDIA's driver
#   --cases N       verify only N golden cases, spread over the sorted list (default: all)
#   --quick         --cases 12, and tune, bench and time in PyTorch only the workload's first 2 shapes (for CI)
# Steps: 1 jconv devices; 2 jconv verify on the GPU; 3 jconv tune; 4 jconv bench (CSV and PNG, tuning in effect);
# 5 the same shapes in PyTorch on CUDA (the machine's python3, or JCONV_PYTHON), joined into gpu-vs-cudnn.csv.
# Exit: 0 done; 1 verify failed or the bench made no table; 2 bad usage; 3 no GPU driver (or no OpenCL device).
# Tuning and PyTorch are extras: when they fail or are missing, the run says so and goes on.
set -euo pipefail
bundle="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start_time="$SECONDS"

usage() { echo "usage: run.sh [--out OUT] [--budget SECONDS] [--icd FILE] [--quick | --cases N]" >&2; exit 2; }
out="${OUT:-./gpu-out}"
budget=420
icd=""
cases=0
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    --budget) [ $# -ge 2 ] || usage; budget="$2"; shift 2 ;;
    --icd) [ $# -ge 2 ] || usage; icd="$2"; shift 2 ;;
    --cases) [ $# -ge 2 ] || usage; cases="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$budget" =~ ^[0-9]+$ ]] && [ "$budget" -ge 30 ] || { echo "run.sh: --budget must be whole seconds, at least 30" >&2; exit 2; }
[[ "$cases" =~ ^[0-9]+$ ]] || { echo "run.sh: --cases must be a whole number" >&2; exit 2; }
[ "$quick" = 1 ] && [ "$cases" = 0 ] && cases=12

# A library's path from the ld cache (x86-64 entries), or nothing. ldconfig may be off PATH (in /sbin).
ld_cache() {
  local ldconfig candidate
  ldconfig="$(command -v ldconfig || true)"
  for candidate in /sbin/ldconfig /usr/sbin/ldconfig; do
    if [ -z "$ldconfig" ] && [ -x "$candidate" ]; then ldconfig="$candidate"; fi
  done
  if [ -n "$ldconfig" ]; then
    "$ldconfig" -p 2>/dev/null | awk -v name="$1" '$1 == name && /x86-64/ { print $NF; exit }'
  fi
}
# The OpenCL driver, before anything is written: without one there is nothing to check.
find_nvidia() {
  local found dir
  found="$(ld_cache libnvidia-opencl.so.1)"
  [ -n "$found" ] && [ -e "$found" ] && { echo "$found"; return; }
  # Containers often mount the driver's libraries without refreshing the ld cache: look where they go.
  for dir in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
    [ -e "$dir/libnvidia-opencl.so.1" ] && { echo "$dir/libnvidia-opencl.so.1"; return; }
  done
  return 0
}
driver=""
if [ -n "$icd" ]; then
  [ -f "$icd" ] || { echo "run.sh: --icd $icd: no such file" >&2; exit 2; }
  icd="$(cd "$(dirname "$icd")" && pwd)/$(basename "$icd")"
else
  driver="$(find_nvidia)"
  if [ -z "$driver" ]; then
    echo "run.sh: no GPU driver: libnvidia-opencl.so.1 is neither in the ld cache nor under /usr/local/nvidia (give --icd FILE to use another OpenCL driver)"
    exit 3
  fi
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
results=(run.log devices.txt verify.txt tune.log tuning.json bench.csv bench.png gpu-vs-cudnn.csv)
for name in "${results[@]}"; do rm -f "$out/$name"; done
# Everything on the console is also kept in run.log. stdout is the tee; stderr joins it. The JVM's one-line notice
# that the Vector API is an incubator module, once per step, is left out.
exec > >(grep --line-buffered -v '^WARNING: Using incubator modules: jdk.incubator.vector$' | tee "$out/run.log") 2>&1
tee_pid=$!
# fd 3 is the console too: the run's own lines go there, whatever a step's output is redirected to.
exec 3>&1

work="$(mktemp -d "${TMPDIR:-/tmp}/jconv-gpu.XXXXXX")"
# On every exit: drop the work folder, and give tee up to 5 s to write the last lines before the shell is gone
# (a poll, not `wait`, which can hang on a process substitution that has already ended).
finish() {
  rm -rf "$work"
  exec >&- 2>&- 3>&-
  for _ in $(seq 50); do kill -0 "$tee_pid" 2>/dev/null || break; sleep 0.1; done
}
trap finish EXIT
say() { printf '[%4ds] %s\n' "$((SECONDS - start_time))" "$*" >&3; }
say "jconv GPU check: bundle $bundle ($(cat "$bundle/.jconv-gpu-bundle" 2>/dev/null || echo 'unknown build')), budget ${budget} s, results in $out"

# The runtime travels packed (it is a third of the size that way) and is unpacked for this run only.
tar -xzf "$bundle/runtime.tar.gz" -C "$work"
java="$work/runtime/bin/java"
[ -x "$java" ] || { say "error: the bundle's runtime has no bin/java"; exit 2; }

# OpenCL: the bundle's ICD loader, which reads only our vendors folder; one .icd file naming the driver by full path.
mkdir "$work/vendors" "$work/cache" "$work/lib"
if [ -n "$icd" ]; then
  cp "$icd" "$work/vendors/$(basename "$icd" .icd).icd"
  say "OpenCL driver: $icd ($(cat "$icd"))"
else
  echo "$driver" >"$work/vendors/nvidia.icd"
  say "OpenCL driver: $driver"
fi
library_path="$bundle/lib"
# The bundled loader is Debian 12's (it needs glibc 2.34); on an older system use the system's own loader if it has
# one, rather than fail to load OpenCL at all.
if command -v ldd >/dev/null && ldd "$bundle/lib/libOpenCL.so.1" 2>&1 | grep -q 'not found'; then
  system_loader="$(ld_cache libOpenCL.so.1)"
  if [ -n "$system_loader" ]; then
    ln -s "$system_loader" "$work/lib/libOpenCL.so"
    library_path="$work/lib"
    say "the bundled libOpenCL.so.1 cannot load here ($(ldd "$bundle/lib/libOpenCL.so.1" 2>&1 | grep 'not found' \
        | head -n 1 | sed 's/^[[:space:]]*//')); using the system's $system_loader"
  else
    say "warning: the bundled libOpenCL.so.1 cannot load here and the system has none; OpenCL will be missing"
  fi
fi
# The NVIDIA driver's own dependencies (libcuda.so.1) sit next to it, maybe outside the ld cache.
[ -n "$driver" ] && library_path="$library_path:$(dirname "$driver")"
export OCL_ICD_VENDORS="$work/vendors"
# A fresh cache folder: the tuner writes here and the bench reads the same tuning file.
export JCONV_CACHE_DIR="$work/cache"

# Java's logical fonts all map to the bundle's DejaVu Sans (bold for bold), whatever fonts the machine has or lacks:
# the chart then renders the same everywhere, and never depends on fontconfig.
{
  echo "version=1"
  for family in serif sansserif monospaced dialog dialoginput; do
    echo "$family.plain.latin-1=DejaVu Sans"
    echo "$family.italic.latin-1=DejaVu Sans"
    echo "$family.bold.latin-1=DejaVu Sans Bold"
    echo "$family.bolditalic.latin-1=DejaVu Sans Bold"
  done
  echo "sequence.allfonts=latin-1"
  echo "filename.DejaVu_Sans=$bundle/fonts/DejaVuSans.ttf"
  echo "filename.DejaVu_Sans_Bold=$bundle/fonts/DejaVuSans-Bold.ttf"
} >"$work/fontconfig.properties"

# jconv as scripts/jconv runs it, on the bundle's runtime: the Vector API module for the Java backend's fast path, and
# libjsig preloaded (signal chaining: drivers with an in-process LLVM replace the JVM's SIGSEGV handler otherwise).
# A JVM crash report goes to the work folder and its head into run.log, so OUT keeps its fixed set of files.
jconv=(env "LD_PRELOAD=$work/runtime/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
       "LD_LIBRARY_PATH=$library_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
       "$java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true
       "-Dsun.awt.fontconfig=$work/fontconfig.properties" "-Djava.io.tmpdir=$work"
       "-XX:ErrorFile=$work/hs_err_pid%p.log" -cp "$bundle/jconv-cli.jar" dev.jconv.cli.Main)
cd "$work"   # the JVM may drop replay or crash files in its working folder: keep them out of OUT

# Runs one step under a time limit: step NAME SECONDS COMMAND...; sets step_code and step_seconds. The command's
# stdout and stderr go wherever the caller redirects the call.
step() {
  local name="$1" limit="$2"; shift 2
  local begin="$SECONDS"
  say "$name: start (limit ${limit} s)"
  set +e
  timeout --kill-after=10 "$limit" "$@"
  step_code=$?
  set -e
  step_seconds=$((SECONDS - begin))
  if [ "$step_code" = 124 ] || [ "$step_code" = 137 ]; then
    say "$name: TIMED OUT after ${step_seconds} s"
  else
    say "$name: exit $step_code after ${step_seconds} s"
  fi
  for report in "$work"/hs_err_pid*.log; do
    [ -f "$report" ] || continue
    say "$name: the JVM crashed; the head of its report:"
    head -n 40 "$report" >&3
    rm -f "$report"
  done
}
remaining() { echo $((budget - (SECONDS - start_time))); }
clamp() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { v = v < lo ? lo : v; v = v > hi ? hi : v; printf "%.2f", v }'; }

# The fixed shares; the tuner gets what the devices listing and verify leave over.
verify_share=$((budget * 35 / 100))
bench_share=$((budget * 20 / 100))
torch_share=$((budget * 15 / 100))
slack=10

# The workload: all of it, or its first 2 shapes with --quick.
workload="$bundle/workload.csv"
if [ "$quick" = 1 ]; then
  head -n 3 "$bundle/workload.csv" >"$work/workload.csv"
  workload="$work/workload.csv"
fi
shapes=$(($(wc -l <"$workload") - 1))

# 1. Devices.
step "1/5 devices" 60 "${jconv[@]}" devices >"$out/devices.txt"
cat "$out/devices.txt"
if ! grep -qE '^[* ] *opencl:' "$out/devices.txt"; then
  say "no OpenCL device to check (devices.txt above says why); stopping"
  exit 3
fi

# 2. Verify on the GPU: every golden case, or N spread over them. --verbose lists each case, so a timeout shows
#    how far it got.
case_dirs=("$bundle/golden")
if [ "$cases" -gt 0 ]; then
  mapfile -t all_cases < <(find "$bundle/golden" -mindepth 1 -maxdepth 1 -type d | LC_ALL=C sort)
  case_dirs=()
  total="${#all_cases[@]}"
  [ "$cases" -gt "$total" ] && cases="$total"
  for ((i = 0; i < cases; i++)); do case_dirs+=("${all_cases[$((i * total / cases))]}"); done
fi
step "2/5 verify" "$verify_share" "${jconv[@]}" verify --verbose --device opencl "${case_dirs[@]}" >"$out/verify.txt"
verify_code="$step_code"
verify_line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/verify.txt" || true)"
grep -v '^PASS ' "$out/verify.txt" || true
[ -n "$verify_line" ] || verify_line="no result (exit $verify_code; $(grep -c '^PASS ' "$out/verify.txt" || true) cases passed before it stopped)"

# 3. Tune: the time the fixed shares leave. The tuner only writes its file when it ends, so it is asked to stop well
#    before its limit (JVM start, the Java reference per shape and the final re-times come on top of its budget).
tune_share=$(($(remaining) - bench_share - torch_share - slack))
tune_note="skipped: only ${tune_share} s left for it"
if [ "$tune_share" -ge 10 ]; then
  tune_budget=$((tune_share * 75 / 100 - 5))
  [ "$tune_budget" -ge 2 ] || tune_budget=2
  # Its progress first, then its table: stdout apart, since the two streams would interleave in one file.
  step "3/5 tune" "$tune_share" "${jconv[@]}" tune --device opencl --workload "$workload" --budget "$tune_budget" \
      >"$work/tune.out" 2>"$out/tune.log"
  cat "$work/tune.out" >>"$out/tune.log"
  tuning_file="$(find "$JCONV_CACHE_DIR" -path '*/tuning/*.json' -print -quit)"
  if [ -n "$tuning_file" ]; then
    cp "$tuning_file" "$out/tuning.json"
    tune_note="tuning.json from $(basename "$tuning_file") (${tune_budget} s budget)"
    # The tuner's own table: default and tuned time per shape.
    cat "$work/tune.out"
  else
    tune_note="no tuning file (tune exit $step_code; see tune.log); the bench ran on the default kernels"
  fi
else
  say "3/5 tune: $tune_note"
fi

# 4. The bench on the GPU, with the tuning file in effect (same JCONV_CACHE_DIR): CSV and the chart in one run. Its
#    per-shape sampling budget is what the share allows after a start-up allowance, at most the bench's default 3 s.
bench_per_shape="$(clamp "$(awk -v s="$bench_share" -v n="$shapes" 'BEGIN { print (s - 15) / n - 0.6 }')" 0.2 3)"
step "4/5 bench" "$bench_share" "${jconv[@]}" bench --device opencl --workload "$workload" --format csv \
    --budget "$bench_per_shape" --plot "$out/bench.png" >"$out/bench.csv"
bench_code="$step_code"
bench_rows=$(($(grep -c . "$out/bench.csv" || true) - 1))
if [ "$bench_rows" -gt 0 ]; then
  [ "$bench_code" = 0 ] || say "4/5 bench: the table is complete but the bench exited $bench_code (the chart failed?)"
  # The table, with the figures that were measured (the CSV also has empty PyTorch and ONNX Runtime columns).
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; printf "%-18s %-17s %10s %10s %10s %9s\n", "name", "op",
      "ms", "kernel_ms", "GFLOP/s", "samples"; next }
      { printf "%-18s %-17s %10s %10s %10s %9s\n", $col["name"], $col["op"], $col["ms"], $col["kernel_ms"],
      $col["gflops"], $col["samples"] }' "$out/bench.csv"
else
  rm -f "$out/bench.csv"
fi
[ -s "$out/bench.png" ] || rm -f "$out/bench.png"

# 5. PyTorch on CUDA (cuDNN), the same shapes, then the join: speedup_vs_cudnn = cudnn ms / jconv ms per shape.
python="${JCONV_PYTHON:-python3}"
torch_note=""
if ! command -v "$python" >/dev/null; then
  torch_note="skipped: no $python"
  say "5/5 cudnn: $torch_note"
else
  # Importing torch and starting CUDA take the first 20 s or so; cuDNN's algorithm search runs in the warm-up calls.
  torch_per_shape="$(clamp "$(awk -v s="$torch_share" -v n="$shapes" 'BEGIN { print (s - 20) / n - 0.3 }')" 0.2 2)"
  step "5/5 cudnn" "$torch_share" "$python" "$bundle/torch-bench.py" "$workload" --torch-device cuda \
      --budget "$torch_per_shape" >"$work/cudnn.csv"
  case "$step_code" in
    0) ;;
    3) torch_note="skipped: $python cannot import torch" ;;
    4) torch_note="skipped: PyTorch has no CUDA here" ;;
    *) torch_note="incomplete: torch-bench.py exit $step_code" ;;
  esac
  [ -n "$torch_note" ] && say "5/5 cudnn: $torch_note"
  if [ -s "$work/cudnn.csv" ]; then
    # An outer join on the shape name, in workload order: a shape only one side timed keeps an empty cell.
    "$python" - "$workload" "$out/bench.csv" "$work/cudnn.csv" "$out/gpu-vs-cudnn.csv" <<'EOF' \
        || say "5/5 cudnn: the join failed (exit $?)"
import csv, math, os, sys
workload, bench, cudnn, joined = sys.argv[1:]
jconv = {row["name"]: row for row in csv.DictReader(open(bench))} if os.path.exists(bench) else {}
torch_ms = {name: float(ms) for name, ms in csv.reader(open(cudnn))}
ratios = []
with open(joined, "w", newline="") as handle:
    out = csv.writer(handle)
    out.writerow(["name", "op", "jconv_ms", "jconv_kernel_ms", "jconv_gflops", "cudnn_ms", "speedup_vs_cudnn"])
    for shape in csv.DictReader(open(workload)):
        name, row = shape["name"], jconv.get(shape["name"], {})
        ms, cudnn_ms = row.get("ms") or "", torch_ms.get(name)
        speedup = cudnn_ms / float(ms) if ms and cudnn_ms else None
        if speedup:
            ratios.append(speedup)
        out.writerow([name, shape["op"], ms, row.get("kernel_ms", ""), row.get("gflops", ""),
                      "" if cudnn_ms is None else f"{cudnn_ms:.4f}", "" if speedup is None else f"{speedup:.4f}"])
        print(f"{name:18} {shape['op']:17} jconv {ms or '-':>10} ms   cudnn "
              f"{'-' if cudnn_ms is None else f'{cudnn_ms:.4f}':>10} ms   speedup_vs_cudnn "
              f"{'-' if speedup is None else f'{speedup:.3f}'}")
if ratios:
    print(f"geometric-mean speedup vs cuDNN: {math.exp(sum(map(math.log, ratios)) / len(ratios)):.3f} "
          f"over {len(ratios)} shapes (above 1: jconv is faster)")
EOF
  fi
fi

# The summary.
status=0
say "summary:"
echo "  verify:  $verify_line"
[ "$verify_code" = 0 ] || status=1
echo "  tune:    $tune_note"
if [ -f "$out/bench.csv" ]; then
  echo "  bench:   $out/bench.csv ($bench_rows shapes)$([ -f "$out/bench.png" ] && echo ", chart $out/bench.png")"
else
  echo "  bench:   no table (exit $bench_code)"
  status=1
fi
if [ -f "$out/gpu-vs-cudnn.csv" ]; then
  echo "  cudnn:   $out/gpu-vs-cudnn.csv${torch_note:+ ($torch_note)}"
else
  echo "  cudnn:   ${torch_note:-no comparison}"
fi
echo "  time:    $((SECONDS - start_time)) s of a ${budget} s budget; exit $status"
echo "  files:   $(cd "$out" && ls | tr '\n' ' ')"
exit "$status"
