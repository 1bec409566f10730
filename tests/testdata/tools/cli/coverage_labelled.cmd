coverage --rules rules_new.textproto labelled.jsonl
