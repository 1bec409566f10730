test rules.textproto --rule bid.no_tender
