"""Notes: the companion saves what the user asks it to write down, as Markdown files."""
