"""Repair: legacy encodings to Unicode, NFC and white space, a quality score per page, OCR fallback."""
