convert findings_excel.csv -o $TMP/out.jsonl --rejects $TMP/rejects.csv
expect $TMP/out.jsonl convert_rejects.out.jsonl
expect $TMP/rejects.csv convert_rejects.rejects.csv
