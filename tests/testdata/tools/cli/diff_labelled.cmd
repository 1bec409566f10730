diff --old rules.textproto --new rules_new.textproto labelled.jsonl
