"""Measuring the factory: evaluation suites, and guardrail metrics on third-party data."""
