validate findings.jsonl findings.jsonl
