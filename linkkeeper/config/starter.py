"""A first list for someone who has none: `linkkeeper init` writes it, commented, so that the file itself
says what each part is for and where to read more; with a report, its links instead of the example."""

from __future__ import annotations

import os
from pathlib import Path

from linkkeeper.config.settings import zone

HEADER = """\
# The links linkkeeper keeps alive: `check-links` checks each one and keeps its history in linkkeeper.db
# beside this file. Every key, and every setting with its default, is in docs/list.md.
title: {title}

# Settings: all optional; uncomment what you need.
settings:
  timezone: {timezone}  # the zone of every date and time you read (an IANA name: Pacific/Fiji, Europe/Paris)
  # notify: ["mailto://user:password@example.org"]  # where each run's changes are sent (Apprise URLs)
  # health:
  #   dead_after_failures: 3  # failed runs in a row before a link is called dead...
  #   dead_after_days: 3      # ...over at least this many days
  # archive:
  #   enabled: true  # after each run, save pages at risk in the Wayback Machine and find copies of dead ones
"""
EXAMPLE = """
# One entry per link: its url and the title people know it by; kind, section (the report's heading),
# cited_as (the address as the report prints it) and note are optional. Replace this example with yours,
# or build the list from a report: linkkeeper import REPORT
resources:
  - url: https://publicadministration.un.org/egovkb/en-us/
    title: UN E-Government Knowledge Base
    kind: knowledge-base
    section: Knowledge bases
"""


def starter(title: str, timezone: str, with_example: bool = True) -> str:
    """The starter's text; `with_example=False` for a list whose links an import adds after it."""
    return HEADER.format(title=title, timezone=timezone) + (EXAMPLE if with_example else "")


def local_zone() -> str:
    """This machine's IANA zone (`$TZ`, else what /etc/localtime points to), UTC when it cannot be told."""
    named = os.environ.get("TZ", "").lstrip(":")
    if not named:
        target = str(Path("/etc/localtime").resolve())
        named = target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else "UTC"
    try:
        return zone(named).key
    except ValueError:
        return "UTC"
