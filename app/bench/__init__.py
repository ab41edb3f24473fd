"""Benchmarks: measurements printed as tables, never asserted (see each module)."""
