"""Minzheng (民政): an open-source platform for China's civil-affairs bureaus."""

__version__ = "0.1.0"
