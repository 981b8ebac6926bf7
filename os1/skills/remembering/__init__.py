"""Memory in conversation: the companion edits its core memory blocks and forgets on request."""
