"""Rules: a registry of coded, documented checks over the models (never over syntax trees)."""
