"""What people read: the repaired list as a report (`reports.py`, its page shell `html_page.py`), what
`status` and `history` print (`terminal.py`), times as people read them (`times.py`), the README's
generated tables (`readme.py`), and the Atom feed of changes (`feed.py`).

May import: `config`, `store`, `health` and the top-level modules of `linkkeeper`.
"""
