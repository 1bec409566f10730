#!/usr/bin/env bash
# Renders the HTML report in headless Chromium and checks, from the DOM the
# browser built, that the charts and the Chinese headings are there; saves a
# screenshot as a test artifact. Exit 77 (skipped) only if chromium is missing.
#
# usage: report_dom_test.sh XUNCHA_CLI SOURCE_DIR WORK_DIR
set -euo pipefail
cli=$1 src=$2 work=$3
chrome=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chrome" ]]; then
  echo "SKIP: chromium not installed"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
data="$src/tests/testdata/ledger"
db="$work/l.db"
common=(--db "$db" --now 2024-06-01T09:00:00Z)
"$cli" ledger import "${common[@]}" "$data/classified.jsonl" >/dev/null
"$cli" ledger transition "${common[@]}" --bulk "$data/bulk.csv" >/dev/null 2>&1 || true
"$cli" ledger transition L-001 --to assigned --actor 巡察办 "${common[@]}" >/dev/null
"$cli" ledger transition L-001 --to in_progress --actor 巡察办 --measures 修订制度 \
  --deadline 2024-05-01 "${common[@]}" >/dev/null
"$cli" report --ledger "$db" --patterns "$data/patterns.json" -o "$work/report.html" \
  --markdown "$work/report.md" --generated-at 2024-06-01T09:00:00Z

flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-component-update --disable-sync --no-first-run)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 120 "$chrome" "${flags[@]}" --user-data-dir="$profile" --dump-dom \
  "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log"
timeout 120 "$chrome" "${flags[@]}" --user-data-dir="$profile" \
  --screenshot="$work/report.png" --window-size=1280,2000 "file://$work/report.html" \
  >>"$work/chromium.log" 2>&1

fail=0
expect() {  # expect PATTERN DESCRIPTION
  if ! grep -qE -- "$1" "$work/dom.html"; then
    echo "FAILED: $2 (pattern: $1)"
    fail=1
  fi
}
expect '<svg id="chart-heatmap" class="chart heatmap"' "heatmap svg"
expect '<svg id="chart-category" class="chart bar-chart"' "category bar chart"
expect '<svg id="chart-disposition" class="chart bar-chart"' "disposition bar chart"
expect '<h1 id="title">巡察发现问题及整改情况报告</h1>' "title"
for h in 一、总体情况 二、问题分布（类别×单位） 三、问题类别分布 四、处置方式分布 五、共性问题与规律 \
         六、逾期未完成整改 七、问题清单; do
  expect "<h2>$h</h2>" "heading $h"
done
expect '<text class="bar-label"[^>]*>中央八项规定精神/四风</text>' "Chinese bar label"
expect 'L-001' "overdue L-001 listed"
expect '普遍性问题：4个单位存在公务用车管理不规范问题' "pattern summary"
# 4 categories x 9 units = 36 heatmap cells.
cells=$(grep -o '<g class="heat-cell">' "$work/dom.html" | wc -l)
if [[ "$cells" != 36 ]]; then echo "FAILED: heatmap cells $cells != 36"; fail=1; fi
# The withheld lead is not in an internal report.
if grep -q 'L-007' "$work/dom.html"; then echo "FAILED: withheld L-007 shown"; fail=1; fi
size=$(stat -c %s "$work/report.png" 2>/dev/null || echo 0)
if (( size < 20000 )); then echo "FAILED: screenshot missing or blank ($size bytes)"; fail=1; fi
[[ $fail == 0 ]] && echo "ok: DOM checked, screenshot $work/report.png ($size bytes)"
exit $fail
