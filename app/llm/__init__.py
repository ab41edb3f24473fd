"""The LLM seam: one method, ``complete``; an OpenAI-compatible implementation; the local server."""
