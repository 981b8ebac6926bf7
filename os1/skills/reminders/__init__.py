"""Reminders skill: "wake me at 7", "remind me to call my mother on Sunday", and `os1 reminders`."""
