eval --rules rules.textproto findings.jsonl
