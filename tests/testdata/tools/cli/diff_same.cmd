diff --old rules.textproto --new rules.textproto findings.jsonl
