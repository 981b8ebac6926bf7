"""Music: OS1 composes short piano pieces for a moment, and remembers them."""
