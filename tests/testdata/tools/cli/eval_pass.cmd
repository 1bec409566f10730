eval --rules rules.textproto labelled.jsonl --show-misses 2 --min-macro-f1 0.5 --min-disposition-accuracy 0.7
