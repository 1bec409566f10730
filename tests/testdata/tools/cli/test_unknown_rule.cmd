test rules.textproto --rule no.such
