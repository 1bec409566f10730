test passing.textproto
