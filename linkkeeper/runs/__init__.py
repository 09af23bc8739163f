"""A run of checks: in this process's crawlers (`crawl.py`, the list shared by host in `shards.py`, child
processes bound to their parent by `children.py`), the checks turned into health (`run.py`) and the summary
printed (`summary.py`); or distributed through Redis (`distributed.py` coordinates, `worker.py` works, both
over `frontier.py`); stop signals (`signals.py`).

May import: `config`, `store`, `health`, `output`, `domains` (the look-ups of the links' domains, begun with a
run) and the top-level modules of `linkkeeper`.
"""
