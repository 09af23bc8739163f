"""What a check means for a link: the state machine (`state.py`), findings and their outcomes
(`findings.py`), the words and colours of states and statuses (`vocabulary.py`), content drift (`drift.py`,
with `similarity.py`), the row a check is stored as (`check_record.py`), and reading `Retry-After`.

Pure rules. May import: the top-level modules of `linkkeeper` and `config` (the policies they apply).
"""
