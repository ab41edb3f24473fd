"""Brand knowledge: chunking, embedding, the Qdrant store, ingestion and retrieval."""
