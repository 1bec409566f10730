diff --old rules.textproto labelled.jsonl
