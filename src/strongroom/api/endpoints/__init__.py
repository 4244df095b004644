"""Endpoints, one module per area. Each reads its input with a serializer, makes one call to a
service (the only writers) or a query (reads narrowed by policy), and serializes the answer.
Refusals and domain errors are left to ``strongroom.api.errors``."""
