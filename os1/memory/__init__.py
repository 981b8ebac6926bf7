"""Memory: core blocks now; episodic and semantic memory build on the same store."""
