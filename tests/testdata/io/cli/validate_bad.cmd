validate findings.jsonl findings_excel.csv bad.jsonl
