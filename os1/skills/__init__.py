"""Skills: groups of tools the companion can use, registered as plugins."""
