convert findings.jsonl
