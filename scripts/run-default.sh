#!/usr/bin/env bash
# The main job (README): installs what is needed, builds, and runs xuncha on
# the bundled sample round with the default rules:
#   classify → patterns → ledger → report (HTML + Markdown) and Excel ledger.
# Outputs go to out/ (or $XUNCHA_OUT); their paths are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${XUNCHA_OUT:-out}"
mkdir -p "$OUT"

scripts/setup.sh
XUNCHA_BUILD_DIR=build scripts/build.sh >/dev/null
X=build/xuncha
RULES=rules/default
SAMPLE=data/sample/round-2025-1.jsonl
PREVIOUS=data/sample/round-2024-2.classified.jsonl

echo "== validate the sample round"
$X validate "$SAMPLE"

echo "== classify $SAMPLE with $RULES"
$X check "$RULES" >/dev/null
$X classify --rules "$RULES" --threads 0 "$SAMPLE" -o "$OUT/classified.jsonl"
# The previous round, classified with the same rules, for recurrence.
$X classify --rules "$RULES" data/sample/round-2024-2.jsonl -o "$OUT/previous.jsonl"

echo "== cross-unit patterns"
$X patterns --rules "$RULES" "$OUT/classified.jsonl" --previous "$OUT/previous.jsonl" \
  -o "$OUT/patterns.json"

echo "== problem ledger"
rm -f "$OUT/ledger.db"
$X ledger import --db "$OUT/ledger.db" "$OUT/classified.jsonl"
$X ledger export --db "$OUT/ledger.db" --format xlsx -o "$OUT/ledger.xlsx"
$X ledger export --db "$OUT/ledger.db" --format csv -o "$OUT/ledger.csv"

echo "== report"
$X report --ledger "$OUT/ledger.db" --patterns "$OUT/patterns.json" \
  -o "$OUT/report.html" --markdown "$OUT/report.md"

echo
echo "outputs:"
for f in classified.jsonl patterns.json ledger.db ledger.xlsx ledger.csv report.html report.md; do
  echo "  $(cd "$OUT" && pwd)/$f"
done
