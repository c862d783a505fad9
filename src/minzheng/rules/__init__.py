"""The rules engine: parameters, program definitions and their evaluation (ARCHITECTURE §5)."""
