"""What people read: the repaired list as a report (`reports.py`, its page shell `html_page.py`), what
`status` and `history` print (`terminal.py`), times as people read them (`times.py`), and the README's
generated tables (`readme.py`).

May import: `config`, `store`, `health` and the top-level modules of `linkkeeper`.
"""
