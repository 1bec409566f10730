eval --rules rules.textproto labelled.jsonl --show-misses 0 --max-compliance-false-positives 0
