"""Extractors: one per field family, each returning values with evidence."""
