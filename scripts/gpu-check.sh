#!/usr/bin/env bash
# GPU check for the train action, on a machine with an NVIDIA GPU, Python 3 + torch, git, and
# neither Node.js nor network. See docs/gpu-check.md.
#
# 1. Telemetry: runs the bundled train action (actions/train/dist/index.js) with Node 24 on
#    examples/torch-digits (default params, short) with `gpu: true` and `require-gpu: true`, and
#    prints the GPU detection, mean utilisation, peak memory and the metrics the pipeline produced.
# 2. Overhead: with presets/gpu.yaml and calibrate.py (train lasts >= --target-seconds), times the
#    same training run directly (`python3 src/train.py`) and through the action (stage `train`),
#    alternating, --repeats times each, and prints the median overhead (target < 2%), with each
#    run split into train.py's epochs and the rest, so noise in training shows apart from the
#    action's own cost.
#
# Usage: scripts/gpu-check.sh [--node PATH] [--target-seconds 65] [--repeats 3]
#                             [--skip-telemetry] [--skip-overhead] [--keep]
#                             [--dry-run [--example penguins|torch-digits]]
# Node 24 comes from --node, $MLCI_NODE24, .tmp/node24/bin/node, or .tmp/gpu-check/node24.xz
# (made by scripts/gpu-pack.sh). --dry-run checks the plumbing without a GPU: a stand-in nvidia-smi,
# and torch-digits on the CPU with its default params (penguins where torch is not installed) take
# their place (the figures mean nothing then).
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a decimal point

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="${MLCI_NODE24:-}"
TARGET_SECONDS=65
REPEATS=3
TELEMETRY=1
OVERHEAD=1
KEEP=0
DRY=0
EXAMPLE_NAME=""
while [ $# -gt 0 ]; do
  case "$1" in
    --node) NODE="$2"; shift 2 ;;
    --target-seconds) TARGET_SECONDS="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --skip-telemetry) TELEMETRY=0; shift ;;
    --skip-overhead) OVERHEAD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --dry-run) DRY=1; shift ;;
    --example) EXAMPLE_NAME="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlci-gpu-check.XXXXXX")"
cleanup() { if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
py() { python3 - "$@"; }
# elapsed START END: seconds between two $EPOCHREALTIME readings, to the millisecond.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# ---- Node 24 -------------------------------------------------------------------------------------
if [ -z "$NODE" ]; then
  if [ -x "$ROOT/.tmp/node24/bin/node" ]; then
    NODE="$ROOT/.tmp/node24/bin/node"
  elif [ -f "$ROOT/.tmp/gpu-check/node24.xz" ]; then
    NODE="$ROOT/.tmp/gpu-check/node24.xz"
  else
    echo "gpu-check: no Node 24 (pass --node, set MLCI_NODE24, or run scripts/gpu-pack.sh here first)" >&2
    exit 2
  fi
fi
if [[ "$NODE" == *.xz ]]; then # the binary recompressed by scripts/gpu-pack.sh
  packed="$NODE"
  NODE="$WORK/node"
  if command -v xz >/dev/null; then
    xz -dc "$packed" >"$NODE"
  else
    py "$packed" "$NODE" <<'EOF'
import lzma, shutil, sys
with lzma.open(sys.argv[1]) as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
EOF
  fi
  chmod +x "$NODE"
fi
NODE_VERSION="$("$NODE" --version)"
case "$NODE_VERSION" in v24.*) ;; *) echo "gpu-check: $NODE is $NODE_VERSION, not Node 24" >&2; exit 2 ;; esac
ACTION="$ROOT/actions/train/dist/index.js"
[ -f "$ACTION" ] || { echo "gpu-check: $ACTION is missing (npm run build)" >&2; exit 2; }

say "machine"
echo "node $NODE_VERSION ($NODE)"
echo "$(python3 --version), $(git --version)"
if [ "$DRY" = 1 ]; then
  # torch-digits on the CPU with its default params where torch is installed, else penguins.
  if [ -n "$EXAMPLE_NAME" ]; then EXAMPLE="$ROOT/examples/$EXAMPLE_NAME"
  elif python3 -c 'import numpy, torch' 2>/dev/null; then EXAMPLE="$ROOT/examples/torch-digits"
  else EXAMPLE="$ROOT/examples/penguins"; fi
  [ -f "$EXAMPLE/dvc.yaml" ] || { echo "gpu-check: no dvc.yaml in examples/$EXAMPLE_NAME" >&2; exit 2; }
  FAKE="$WORK/fake-bin"
  mkdir -p "$FAKE"
  cat >"$FAKE/nvidia-smi" <<'EOF'
#!/bin/sh
case "$*" in
  *index,name,uuid*) echo "0, DRY RUN stand-in GPU, GPU-00000000-0000-0000-0000-000000000000, 81559, 0.0" ;;
  *-lms*) while :; do echo "0, 50, 1024"; sleep 0.5; done ;;
  -L) echo "GPU 0: DRY RUN stand-in GPU" ;;
esac
EOF
  chmod +x "$FAKE/nvidia-smi"
  export PATH="$FAKE:$PATH"
  echo "DRY RUN: $(basename "$EXAMPLE") on the CPU and a stand-in nvidia-smi; the figures mean nothing"
else
  [ -z "$EXAMPLE_NAME" ] || { echo "gpu-check: --example goes with --dry-run (the GPU check runs torch-digits)" >&2; exit 2; }
  EXAMPLE="$ROOT/examples/torch-digits"
  command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi not found" >&2; exit 2; }
  python3 -c 'import torch, sys; print("torch", torch.__version__, "cuda", torch.cuda.is_available()); sys.exit(0 if torch.cuda.is_available() else 3)' \
    || { echo "gpu-check: torch cannot use CUDA here" >&2; exit 2; }
fi
nvidia-smi -L

# A checkout of the example as the runner would have it (a git repository).
PROJECT="$WORK/project"
cp -r "$EXAMPLE" "$PROJECT"
rm -rf "$PROJECT/data/prepared" "$PROJECT/model" "$PROJECT/dvc.lock"
git -C "$PROJECT" init -q -b main
git -C "$PROJECT" -c user.name=gpu-check -c user.email=gpu-check@example.com add -A
git -C "$PROJECT" -c user.name=gpu-check -c user.email=gpu-check@example.com commit -q -m example
RUNNER_TEMP_DIR="$WORK/runner"
mkdir -p "$RUNNER_TEMP_DIR"

# run_action NAME [input=value ...]: runs the bundled train action as a runner does; the log goes
# to $WORK/NAME.log, outputs to $WORK/NAME.out; prints the wall time in seconds.
run_action() {
  local name="$1"; shift
  local out="$WORK/$name.out" summary="$WORK/$name.md"
  : >"$out"; : >"$summary"
  local -A inputs=([targets]="" [force]=false [downstream]=false [command]="" [working-directory]=.
    [cache]=false [cache-key-prefix]=mlci-dvc [gpu]=auto [require-gpu]=false [run-record]=""
    [metrics]="" [summary]=true)
  local kv
  for kv in "$@"; do inputs[${kv%%=*}]="${kv#*=}"; done
  local args=() k
  for k in "${!inputs[@]}"; do args+=("INPUT_${k^^}=${inputs[$k]}"); done
  local start end status=0
  start=$EPOCHREALTIME
  (cd "$PROJECT" && env "${args[@]}" GITHUB_ACTIONS=true CI=true GITHUB_WORKSPACE="$PROJECT" \
    GITHUB_OUTPUT="$out" GITHUB_STEP_SUMMARY="$summary" RUNNER_TEMP="$RUNNER_TEMP_DIR" \
    RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_NAME=gpu-check GITHUB_REPOSITORY=mlci/gpu-check \
    GITHUB_SERVER_URL=https://github.com GITHUB_RUN_ID=1 "$NODE" "$ACTION" >"$WORK/$name.log" 2>&1) || status=$?
  end=$EPOCHREALTIME
  if [ "$status" != 0 ]; then
    echo "gpu-check: the train action failed ($name, exit $status); its log:" >&2
    tail -n 40 "$WORK/$name.log" >&2
    return 1
  fi
  elapsed "$start" "$end"
}

# output NAME KEY: one output of a run_action call.
output() {
  py "$WORK/$1.out" "$2" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"^" + re.escape(sys.argv[2]) + r"<<(.+)\n(.*?)\n\1$", text, re.M | re.S)
print(m.group(2) if m else "")
EOF
}

# ---- 1. telemetry --------------------------------------------------------------------------------
if [ "$TELEMETRY" = 1 ]; then
  say "1. the train action (Node 24) on $(basename "$EXAMPLE"), gpu: true, require-gpu: true"
  secs=$(run_action telemetry gpu=true require-gpu=true)
  grep -E "^GPU telemetry:" "$WORK/telemetry.log" || true
  echo "stages run: $(output telemetry stages-run), skipped: $(output telemetry stages-skipped), ${secs} s"
  py "$(output telemetry gpu-summary)" <<'EOF'
import json, sys
g = json.loads(sys.argv[1] or "null")
if not g or not g.get("available"):
    sys.exit(f"gpu-check: no GPU recorded: {g}")
print(f"driver {g.get('driverVersion')}, sampled every {g.get('sampleIntervalMs')} ms")
for d in g["devices"]:
    print(f"GPU {d['index']}: {d['name']}, {d['samples']} samples, mean utilisation {d['meanUtilization']}%, "
          f"peak {d['peakUtilization']}%, peak memory {d['peakMemoryMiB']} MiB of {d['memoryTotalMiB']} MiB")
if not any(d["meanUtilization"] > 0 for d in g["devices"]):
    print("WARNING: mean utilisation is 0 (the run may be too short for the 500 ms samples)")
EOF
  echo "metrics.json: $(cat "$PROJECT/metrics.json")"
  grep -A1 -E "^\*\*(Succeeded|Failed)" "$WORK/telemetry.md" | head -n 1
fi

# ---- 2. overhead ---------------------------------------------------------------------------------
# Each timed run is split in two, so noise in the training itself can be told from the action's cost:
# "epochs" is the time train.py reports for its epochs (its last line), "rest" is everything else in
# the wall time (Python start-up, imports, CUDA, loading the data, saving; and for the action also
# Node, reading the pipeline, hashing, telemetry, caching, dvc.lock). The target is on the wall time.
if [ "$OVERHEAD" = 1 ]; then
  say "2. overhead: python3 src/train.py directly vs through the action, alternating, $REPEATS x each"
  if [ -f "$PROJECT/src/calibrate.py" ]; then
    [ "$DRY" = 1 ] || cp "$PROJECT/presets/gpu.yaml" "$PROJECT/params.yaml"
    calibration=$(cd "$PROJECT" && python3 src/calibrate.py --target-seconds "$TARGET_SECONDS" --write)
    echo "$calibration"
    py "$calibration" "$REPEATS" <<'EOF'
import json, sys
c = json.loads(sys.argv[1])
runs = 2 * int(sys.argv[2])
print(f"train.epochs = {c['epochs']}: about {c['expected_training_seconds']:.0f} s of epochs per run, "
      f"{runs} runs: about {runs * (c['expected_training_seconds'] + 6) / 60:.1f} min")
EOF
  fi
  # prepare once, through the action (it also writes dvc.lock): the timed runs train only.
  secs=$(run_action prepare targets=prepare)
  echo "prepare: ${secs} s"
  # epochs_seconds LOG: the epochs' time train.py reports ("train: done in T s (E s in the epochs)").
  epochs_seconds() { sed -n 's/^train: done in [0-9.]* s (\([0-9.]*\) s in the epochs)$/\1/p' "$1" | tail -n 1; }
  direct=() action=() direct_epochs=() action_epochs=() action_stage=()
  for i in $(seq 1 "$REPEATS"); do
    start=$EPOCHREALTIME
    (cd "$PROJECT" && python3 src/train.py >"$WORK/direct-$i.log" 2>&1) \
      || { echo "gpu-check: python3 src/train.py failed (run $i); its log:" >&2; tail -n 40 "$WORK/direct-$i.log" >&2; exit 1; }
    end=$EPOCHREALTIME
    d=$(elapsed "$start" "$end")
    direct+=("$d")
    direct_epochs+=("$(epochs_seconds "$WORK/direct-$i.log")")
    # The stage must run, not come back from the cache: remove its outputs and the cached copies.
    rm -rf "$PROJECT/model" "$PROJECT/.dvc/cache"
    a=$(run_action "action-$i" targets=train gpu=true)
    [ "$(output "action-$i" stages-run)" = '["train"]' ] || { echo "gpu-check: expected only train to run: $(output "action-$i" stages-run)" >&2; exit 1; }
    action+=("$a")
    action_epochs+=("$(epochs_seconds "$WORK/action-$i.log")")
    cp "$(output "action-$i" run-record)" "$WORK/action-$i.run.json"
    action_stage+=("$(py "$WORK/action-$i.run.json" <<'EOF'
import json, sys
stages = json.load(open(sys.argv[1], encoding="utf-8"))["stages"]
print(next(s["durationMs"] for s in stages if s["name"] == "train") / 1000)
EOF
)")
    echo "run $i: direct ${d} s${direct_epochs[-1]:+ (epochs ${direct_epochs[-1]} s)}, action ${a} s (${action_epochs[-1]:+epochs ${action_epochs[-1]} s, }stage ${action_stage[-1]} s)"
  done
  py "$(output action-1 gpu-summary)" <<'EOF'
import json, sys
g = json.loads(sys.argv[1] or "null") or {}
for d in g.get("devices", []):
    print(f"during training (action run 1): GPU {d['index']} {d['name']}: mean utilisation {d['meanUtilization']}%, peak memory {d['peakMemoryMiB']} MiB")
EOF
  py "${direct[*]}" "${action[*]}" "${direct_epochs[*]}" "${action_epochs[*]}" "${action_stage[*]}" <<'EOF'
import statistics, sys
def floats(arg):
    return [float(x) for x in arg.split()]
d, a, de, ae, stage = (floats(x) for x in sys.argv[1:6])
md, ma = statistics.median(d), statistics.median(a)
pairs = [f"{(y - x) / x * 100:+.2f}%" for x, y in zip(d, a)]
overhead = (ma - md) / md * 100
print(f"direct: {', '.join(f'{x:.2f}' for x in d)} s (median {md:.2f} s)")
print(f"action: {', '.join(f'{x:.2f}' for x in a)} s (median {ma:.2f} s)")
print(f"per pair: {', '.join(pairs)}")
if len(de) == len(d) and len(ae) == len(a):
    dr = statistics.median(x - e for x, e in zip(d, de))
    ar = statistics.median(x - e for x, e in zip(a, ae))
    mde, mae = statistics.median(de), statistics.median(ae)
    print(f"epochs: direct median {mde:.2f} s, action median {mae:.2f} s ({(mae - mde) / mde * 100:+.2f}%; "
          f"spread of all {len(de) + len(ae)}: {(max(de + ae) - min(de + ae)) / min(de + ae) * 100:.1f}%)")
    print(f"rest: direct median {dr:.2f} s, action median {ar:.2f} s: the action adds {ar - dr:+.2f} s "
          f"({(ar - dr) / md * 100:+.2f}% of the direct run)")
print(f"outside the stage (action wall - stage duration): median {statistics.median(x - s for x, s in zip(a, stage)):.2f} s")
print(f"median overhead: {overhead:+.2f}% ({ma - md:+.2f} s)  target < 2%: {'MET' if overhead < 2 else 'MISSED'}")
if md < 60:
    print(f"note: the direct run took {md:.1f} s, under the 60 s the check asks for; raise --target-seconds")
EOF
fi
echo
echo "gpu-check: done"
