"""The read side: every query is narrowed by policy before anything is returned. Never writes."""
