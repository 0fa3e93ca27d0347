"""Reads of the permits domain, by topic."""
