"""Generators: documents built from the extracted models, written through one writer."""
