"""Layout: cut a document into the zones of Decree 30 (header, body, signature, recipients, annexes)."""
