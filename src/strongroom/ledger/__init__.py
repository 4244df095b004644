"""The tamper-evident ledger: append-only entries, each hashed as an RFC 6962 leaf and chained."""
