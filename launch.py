"""`check-links`, launched: its crawlers' fork server (crawler/fork_server.py) starts before the command imports
anything else, and imports the crawler (0.4 s) while the command imports itself (0.15 s) and reads its list, on
the other core."""

from __future__ import annotations

import gc

from linkkeeper.runs.forking import ForkServer


def check_links() -> None:
    """Once the command is done, its files closed and its crawlers gone, the interpreter's last collection is
    skipped (`gc.freeze`): 0.05 to 0.08 s after 4,000 links, before cron or the terminal saw the process end."""
    try:
        with ForkServer() as server:
            from cli import check_links_command

            check_links_command(obj=server)
    finally:
        gc.freeze()
