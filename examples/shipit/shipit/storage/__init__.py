"""Persistence of releases."""
