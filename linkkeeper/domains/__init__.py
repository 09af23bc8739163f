"""The listed links' domains and their registries: the registered domain of a link's host (`registered.py`), the
registry's RDAP service for it from IANA's bootstrap file (`bootstrap.py`, its copy in `dns.json`), one look-up
with a deadline (`rdap.py`), and a run's look-ups, cached a week, paced per server and bounded in time
(`lookups.py`). What the answers mean for a link is health's (`linkkeeper/health/domain_expiry.py`).

May import: `config`, `health`, `store` and the top-level modules of `linkkeeper`.
"""
