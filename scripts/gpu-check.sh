#!/usr/bin/env bash
# GPU check for the train action, on a machine with an NVIDIA GPU, Python 3 + torch, git, and
# neither Node.js nor network. See docs/gpu-check.md.
#
# 1. Telemetry: runs the bundled train action (actions/train/dist/index.js) with Node 24 on
#    examples/torch-digits (default params, short) with `gpu: true` and `require-gpu: true`, and
#    prints the GPU detection, mean utilisation, peak memory and the metrics the pipeline produced.
# 2. Overhead: with presets/gpu.yaml and calibrate.py (train lasts >= --target-seconds), times the
#    same training run directly (`python3 src/train.py`) and through the action (stage `train`),
#    alternating, --repeats times each, and prints the median overhead (target < 2%).
#
# Usage: scripts/gpu-check.sh [--node PATH] [--target-seconds 65] [--repeats 3]
#                             [--skip-telemetry] [--skip-overhead] [--keep] [--dry-run]
# Node 24 comes from --node, $MLCI_NODE24, .tmp/node24/bin/node, or .tmp/gpu-check/node24.xz
# (made by scripts/gpu-pack.sh). --dry-run checks the plumbing without a GPU or torch: the CPU
# penguins example and a stand-in nvidia-smi take their place (the figures mean nothing then).
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
while [ $# -gt 0 ]; do
  case "$1" in
    --node) NODE="$2"; shift 2 ;;
    --target-seconds) TARGET_SECONDS="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --skip-telemetry) TELEMETRY=0; shift ;;
    --skip-overhead) OVERHEAD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --dry-run) DRY=1; shift ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlci-gpu-check.XXXXXX")"
cleanup() { if [ "$KEEP" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
py() { python3 - "$@"; }

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
  EXAMPLE="$ROOT/examples/penguins"
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
  echo "DRY RUN: penguins example (CPU) and a stand-in nvidia-smi; the figures mean nothing"
else
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
  py "$start" "$end" <<'EOF'
import sys
print(f"{float(sys.argv[2]) - float(sys.argv[1]):.3f}")
EOF
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
if [ "$OVERHEAD" = 1 ]; then
  say "2. overhead: python3 src/train.py directly vs through the action, alternating, $REPEATS x each"
  if [ "$DRY" = 0 ]; then
    cp "$PROJECT/presets/gpu.yaml" "$PROJECT/params.yaml"
    (cd "$PROJECT" && python3 src/calibrate.py --target-seconds "$TARGET_SECONDS" --write)
  fi
  # prepare once, through the action (it also writes dvc.lock): the timed runs train only.
  secs=$(run_action prepare targets=prepare)
  echo "prepare: ${secs} s"
  direct=() action=()
  for i in $(seq 1 "$REPEATS"); do
    start=$EPOCHREALTIME
    (cd "$PROJECT" && python3 src/train.py >"$WORK/direct-$i.log" 2>&1)
    end=$EPOCHREALTIME
    d=$(py "$start" "$end" <<'EOF'
import sys
print(f"{float(sys.argv[2]) - float(sys.argv[1]):.3f}")
EOF
)
    direct+=("$d")
    # The stage must run, not come back from the cache: remove its outputs and the cached copies.
    rm -rf "$PROJECT/model" "$PROJECT/.dvc/cache"
    a=$(run_action "action-$i" targets=train gpu=true)
    [ "$(output "action-$i" stages-run)" = '["train"]' ] || { echo "gpu-check: expected only train to run: $(output "action-$i" stages-run)" >&2; exit 1; }
    action+=("$a")
    echo "run $i: direct ${d} s, action ${a} s"
  done
  py "$(output action-1 gpu-summary)" <<'EOF'
import json, sys
g = json.loads(sys.argv[1] or "null") or {}
for d in g.get("devices", []):
    print(f"during training (action run 1): GPU {d['index']} {d['name']}: mean utilisation {d['meanUtilization']}%, peak memory {d['peakMemoryMiB']} MiB")
EOF
  py "${direct[*]}" "${action[*]}" "$TARGET_SECONDS" <<'EOF'
import statistics, sys
d = [float(x) for x in sys.argv[1].split()]
a = [float(x) for x in sys.argv[2].split()]
md, ma = statistics.median(d), statistics.median(a)
pairs = [f"{(y - x) / x * 100:+.2f}%" for x, y in zip(d, a)]
overhead = (ma - md) / md * 100
print(f"direct: {', '.join(f'{x:.2f}' for x in d)} s (median {md:.2f} s)")
print(f"action: {', '.join(f'{x:.2f}' for x in a)} s (median {ma:.2f} s)")
print(f"per pair: {', '.join(pairs)}")
print(f"median overhead: {overhead:+.2f}% ({ma - md:+.2f} s)  target < 2%: {'MET' if overhead < 2 else 'MISSED'}")
if md < 60:
    print(f"note: the direct run took {md:.1f} s, under the 60 s the check asks for; raise --target-seconds")
EOF
fi
echo
echo "gpu-check: done"
