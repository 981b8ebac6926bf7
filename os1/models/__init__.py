"""Model backends: LLMs (and later STT, TTS, embeddings), each registered as a plugin."""
