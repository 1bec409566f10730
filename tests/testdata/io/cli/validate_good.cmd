validate findings.jsonl findings_gbk.csv
