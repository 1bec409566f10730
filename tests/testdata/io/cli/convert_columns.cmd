convert custom_columns.csv --columns columns.txt -o - --to jsonl
