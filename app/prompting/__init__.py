"""Versioned prompts: immutable version files, movable labels, strict rendering."""
