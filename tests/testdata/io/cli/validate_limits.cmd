validate bad.jsonl --max-record-bytes 60 --allow-duplicate-ids
