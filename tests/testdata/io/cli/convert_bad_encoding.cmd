convert findings.jsonl -o $TMP/out.csv --to-encoding latin1
