"""Plain-Python rules of the trade: markings, clearance, custody. No Django here."""
