"""Articles -> passages -> embeddings -> FAISS store -> search. Never imports ``bot``."""
