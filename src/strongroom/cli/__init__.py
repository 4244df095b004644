"""The ``strongroom`` command: one module per area, acting as a named, authenticated person."""
