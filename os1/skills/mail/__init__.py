"""Email over real IMAP/SMTP: accounts, reading, triage with undo, sending with consent.

Modules: errors, secrets (credentials at rest), store (SQLite), imap (client in a thread),
parse (robust MIME), quoting (mail text as data, injection flags), triage, send, sync, contacts,
tools (what the companion may call) and cli (`os1 mail ...`).
"""
