"""The law as code: parameters (YAML), programs and scenarios."""
