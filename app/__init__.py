"""Content factory: briefs become reviewed, checked, published marketing copy."""
