convert nothing.jsonl findings.jsonl -o $TMP/out.jsonl
