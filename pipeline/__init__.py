"""vanban: structured JSON records from Vietnamese official documents.

The flow of one document, one sub-package per stage:
read -> repair -> layout -> nlp -> extract -> record.
"""

__version__ = "0.1.0"
