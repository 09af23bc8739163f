"""The SQLite database: its schema steps (`migrations.py`), views (`views.py`), the one opener with its
modes (`opening.py`: migrated for a run, read-only, immutable), the queries and writes (`queries.py`),
what each table and column means (`schema.py`), the run lock (`lock.py`), `linkkeeper doctor`'s
examination (`doctor.py`), the messages owed to notification targets (`notifications.py`) and the state changes
the feed reads (`changes.py`).

May import: `config`, `health` and the top-level modules of `linkkeeper`; never `runs` or `output`.
"""
