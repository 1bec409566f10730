coverage --rules rules.textproto findings.jsonl --show-unclassified 2
