validate nothing.jsonl findings.jsonl
