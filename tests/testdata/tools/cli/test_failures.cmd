test rules.textproto
