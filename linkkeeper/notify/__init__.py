"""Notifications: after a run, one message to each target of `settings.notify` (Apprise URLs) saying what
changed. `changes.py` picks what counts (`notify_on`), `digest.py` writes the message (plain text and Markdown),
`send.py` sends one through Apprise within a deadline, `deliver.py` queues each run's message in the database,
sends what is owed and says on stderr what failed.

May import: `config`, `store`, `health`, `runs`, `output` and the top-level modules of `linkkeeper`.
"""
