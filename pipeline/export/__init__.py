"""Exports of the catalog: the register of documents (CSV, XLSX), task sheets, edXML, spaCy."""
