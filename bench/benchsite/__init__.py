"""A tiny Django site for bench/routing.py: one small view, served with and without tenant routing."""
