eval --rules rules.textproto labelled.jsonl --min-macro-f1 2
