"""The conversation core: sessions, turns, tools, persona."""
