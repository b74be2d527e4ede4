"""Language tools shared by extractors: bodies gazetteer, time expressions, numbers."""
