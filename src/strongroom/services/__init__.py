"""Use-cases: the only code that writes. Each checks policy, applies the rule, saves and appends
its ledger entry in one transaction."""
