#!/usr/bin/env bash
# Speed, memory and recall of `redact batch` beside the tuned stock Presidio
# pipeline, measured side by side with ../shared/bench/harness.py.
# SIZE=small|medium|large (default medium), RUNS=pairs of runs (default 1).
# Each redact run starts from an empty output folder (a re-run would otherwise
# keep every unchanged file and take seconds).
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
SIZE=${SIZE:-medium}
RUNS=${RUNS:-1}
if [ ! -d "$SHARED/bench" ]; then
  echo "make bench: $SHARED/bench not found; skipped (it needs the shared benchmark kit beside the repo)"
  exit 0
fi
HERE=$(pwd)
P="$HERE/.venv/bin/python"
R="$HERE/.venv/bin/redact"
$P -m pip install -q faker psutil
cd "$SHARED/bench"
[ -d "/tmp/benchcorpus/$SIZE" ] || $P make_corpus.py --size "$SIZE"
rm -rf "/tmp/benchout/redact_$SIZE" "/tmp/benchout/batch_$SIZE"
$P harness.py -n "$RUNS" --corpus "/tmp/benchcorpus/$SIZE" \
  --vs "$P batch_presidio.py --corpus /tmp/benchcorpus/$SIZE --out /tmp/benchout/batch_$SIZE" \
  -- bash -c "rm -rf /tmp/benchout/redact_$SIZE && exec $R -q batch /tmp/benchcorpus/$SIZE/pdfs --out /tmp/benchout/redact_$SIZE --workers 2"
echo "== redact batch: peak memory of the whole process tree (one more run)"
rm -rf "/tmp/benchout/redact_$SIZE"
$P "$HERE/scripts/treemem.py" -- "$R" -q batch "/tmp/benchcorpus/$SIZE/pdfs" --out "/tmp/benchout/redact_$SIZE" --workers 2
echo "== redact batch"
$P score.py --corpus "/tmp/benchcorpus/$SIZE" --out "/tmp/benchout/redact_$SIZE"
echo "== batch_presidio.py"
$P score.py --corpus "/tmp/benchcorpus/$SIZE" --out "/tmp/benchout/batch_$SIZE"
