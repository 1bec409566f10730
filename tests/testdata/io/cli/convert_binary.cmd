convert findings.jsonl -o $TMP/out.pb
expect $TMP/out.pb convert_binary.out.pb
