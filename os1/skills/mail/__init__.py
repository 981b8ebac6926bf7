"""Email over real IMAP/SMTP: accounts, reading, triage with undo, sending with consent.

Modules: repository (what mail keeps, as a contract), store (it on SQLite), schema (its tables),
api (what other skills may use), imap and send (the servers), parse and quoting (mail text as
data, injection flags), reader, triage, outgoing, sync, contacts, tools (what the companion may
call), cli (`os1 mail ...`) and plugin (how OS1 finds all of it).
"""
