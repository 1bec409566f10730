convert - --from jsonl -o - --to jsonl
stdin findings.jsonl
