#!/usr/bin/env bash
# The main job's chain (scripts/run-default.sh without setup and build) on
# the sample round, with checks that each step produced what it should.
set -euo pipefail
X="$XUNCHA_CLI"
OUT="$1"
rm -rf "$OUT"
mkdir -p "$OUT"
"$X" classify --rules rules/default data/sample/round-2025-1.jsonl -o "$OUT/classified.jsonl" \
  --patterns "$OUT/patterns-inline.json" --threads 2
"$X" classify --rules rules/default data/sample/round-2024-2.jsonl -o "$OUT/previous.jsonl"
"$X" patterns --rules rules/default "$OUT/classified.jsonl" --previous "$OUT/previous.jsonl" \
  -o "$OUT/patterns.json"
"$X" ledger import --db "$OUT/ledger.db" "$OUT/classified.jsonl"
"$X" ledger export --db "$OUT/ledger.db" --format xlsx -o "$OUT/ledger.xlsx"
"$X" report --ledger "$OUT/ledger.db" --patterns "$OUT/patterns.json" -o "$OUT/report.html" \
  --markdown "$OUT/report.md"
# Every finding read is in the output, in order.
test "$(wc -l < "$OUT/classified.jsonl")" -eq "$(grep -c . data/sample/round-2025-1.jsonl)"
# Widespread problems are found (the sample has 派车单 in 7 units) and recur.
grep -q 'PATTERN_KIND_WIDESPREAD' "$OUT/patterns.json"
grep -q 'PATTERN_KIND_RECURRING' "$OUT/patterns.json"
grep -q '普遍' "$OUT/report.html"
test -s "$OUT/ledger.xlsx"
echo "main job ok: $(wc -l < "$OUT/classified.jsonl") findings"
