"""Coded recognisers, one per file, for what a regex alone cannot decide."""
