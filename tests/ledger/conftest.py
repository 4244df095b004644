"""The ledger tests' shared history is tests/conftest.py's ``history``."""
