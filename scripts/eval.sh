#!/usr/bin/env bash
# Detection quality on the shared corpora (not part of `make test`).
set -uo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
if [ ! -d "$SHARED/corpus" ]; then
  echo "make eval: $SHARED/corpus not found; skipped (it needs the shared evaluation corpus beside the repo)"
  exit 0
fi
R=.venv/bin/redact
P=.venv/bin/python
OUT=build/eval
mkdir -p "$OUT"
echo "== corpus/dev: PDF and TXT (redact scan --format jsonl)"
$R -q scan "$SHARED/corpus/dev/docs" --format jsonl > "$OUT/dev.jsonl"
for kind in pdf txt scanned; do
  echo "-- kind $kind"
  python3 "$SHARED/corpus/score.py" "$SHARED/corpus/dev/gold.jsonl" "$OUT/dev.jsonl" --kind "$kind" | tail -n +4
done
for kind in pdf txt scanned; do
  echo "-- kind $kind per batch of the dev set, and errors by class (--list in scripts/eval_report.py names them)"
  python3 scripts/eval_report.py "$SHARED" "$OUT/dev.jsonl" "$kind"
done
echo "-- kind docx, all parts (comments, properties)"
python3 "$SHARED/corpus/score.py" "$SHARED/corpus/dev/gold.jsonl" "$OUT/dev.jsonl" --kind docx --parts all | tail -n +4
for kind in pdf txt; do
  echo "-- s40 policy on $kind: public items proposed keep"
  $P scripts/public_flags.py "$SHARED/corpus/dev/gold.jsonl" "$OUT/dev.jsonl" "$kind"
done
echo "== corpus/presidio_synth"
$R -q scan "$SHARED/corpus/presidio_synth/docs" --format jsonl > "$OUT/synth.jsonl"
python3 "$SHARED/corpus/score.py" "$SHARED/corpus/presidio_synth/gold.jsonl" "$OUT/synth.jsonl" --kind txt | tail -n +4
if [ -d "$SHARED/bench" ]; then
  echo "== bench small corpus through redact batch"
  $P -m pip install -q faker psutil
  (cd "$SHARED/bench" && "$OLDPWD/$P" make_corpus.py --size small >/dev/null)
  rm -rf /tmp/benchout/redact_small
  $R -q batch /tmp/benchcorpus/small/pdfs --out /tmp/benchout/redact_small --workers 2
  (cd "$SHARED/bench" && "$OLDPWD/$P" score.py --corpus /tmp/benchcorpus/small --out /tmp/benchout/redact_small)
fi
