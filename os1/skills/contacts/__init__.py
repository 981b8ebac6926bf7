"""Contacts: local vCard files by default, CardDAV when connected; birthdays feed reminders."""
