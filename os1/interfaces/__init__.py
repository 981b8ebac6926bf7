"""Ways to talk to OS1: the command line now; web, API and voice share the same core."""
