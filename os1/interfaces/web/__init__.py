"""`os1 serve`: the companion in a browser (pages, a live WebSocket) and an OpenAI-compatible API."""
