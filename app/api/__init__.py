"""The HTTP API (FastAPI; OpenAPI schema at /openapi.json, docs at /docs)."""
