"""Measurement and learning: performance events in, Thompson sampling over approved variants, winners."""
