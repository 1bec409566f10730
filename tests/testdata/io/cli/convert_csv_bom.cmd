convert findings.jsonl findings_gbk.csv -o $TMP/out.csv --bom
expect $TMP/out.csv convert_csv_bom.out.csv
