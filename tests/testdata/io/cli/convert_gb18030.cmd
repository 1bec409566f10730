convert findings.jsonl -o $TMP/out.csv --to-encoding gb18030 --header en
expect $TMP/out.csv convert_gb18030.out.csv
