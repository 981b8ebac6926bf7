"""Calendar skill: a local iCalendar store by default, CalDAV when an account is connected."""
