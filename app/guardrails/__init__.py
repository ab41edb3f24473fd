"""Checks on drafts: each returns findings as values; the gate decides what blocks."""
