#!/usr/bin/env bash
# Prepares what scripts/gpu-check.sh needs on a GPU machine without Node.js or network: the
# Node 24 binary (from .tmp/node24, fetched by `node scripts/node24.mjs`) recompressed with xz into
# .tmp/gpu-check/node24.xz (about 30 MB instead of 120 MB), and fresh bundles (`npm run build`).
# Carry `.tmp/gpu-check` with the working tree; see docs/gpu-check.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -x .tmp/node24/bin/node ] || node scripts/node24.mjs
case "$(.tmp/node24/bin/node --version)" in v24.*) ;; *) echo "gpu-pack: .tmp/node24 is not Node 24" >&2; exit 2 ;; esac
mkdir -p .tmp/gpu-check
if [ ! -f .tmp/gpu-check/node24.xz ] || [ .tmp/node24/bin/node -nt .tmp/gpu-check/node24.xz ]; then
  xz -T0 -6 -c .tmp/node24/bin/node >.tmp/gpu-check/node24.xz.tmp
  mv .tmp/gpu-check/node24.xz.tmp .tmp/gpu-check/node24.xz
fi
[ "${1:-}" = "--no-build" ] || npm run build >/dev/null
ls -l .tmp/gpu-check/node24.xz actions/train/dist/index.js
echo "carry .tmp/gpu-check and run: bash scripts/gpu-check.sh"
