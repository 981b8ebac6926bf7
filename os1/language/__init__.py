"""English as OS1 reads it: word lists, dates and times, consent, and which turn is offered
which tools. Each word list and each date rule lives here once."""
