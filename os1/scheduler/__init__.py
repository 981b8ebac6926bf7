"""Time that acts: a persistent reminder scheduler and the channel through which OS1 speaks first."""
