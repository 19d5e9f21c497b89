"""Plain, immutable, JSON-serialisable models shared by extractors, rules and generators."""
