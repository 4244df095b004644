"""strongroom: custody and accountability for confidential documents."""

__version__ = "0.1.0"
