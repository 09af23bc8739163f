"""The words linkkeeper stores for states and statuses, with what people read and see for each: one table each.

The database is a public contract, so these words are stored as they are, and every place that shows
them (terminal, reports, the dashboard's descriptions, charts and landing page) takes its labels and
colours from here: a word added here cannot be missing there, as `refused` once was.

A word that two columns share (`archived`, `lost`, `failed`) is one constant, with a meaning of its own
in each vocabulary. Findings, with their outcomes and categories, have their own table in `findings.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

GREEN, AMBER, RED, GREY, ORANGE = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e", "#ef6c00"
# Text drawn on a colour (a badge): WCAG AA asks 4.5:1. White on amber is 2.0:1 and on grey 2.7:1, so the light
# colours take dark text (8.4:1, 6.2:1) and keep the hues people expect; green and red keep white (5.1:1, 5.6:1).
LIGHT_INK, DARK_INK = "#ffffff", "#1f1f1f"
INKS = {GREEN: LIGHT_INK, RED: LIGHT_INK, AMBER: DARK_INK, GREY: DARK_INK, ORANGE: DARK_INK}

OK, AT_RISK, DEAD, UNKNOWN = "ok", "at_risk", "dead", "unknown"
RUNNING, COMPLETED, NETWORK_DOWN, INTERRUPTED, FAILED = "running", "completed", "network_down", "interrupted", "failed"
PENDING, ARCHIVED, LOST, EXCLUDED, REFUSED = "pending", "archived", "lost", "excluded", "refused"


@dataclass(frozen=True)
class Term:
    name: str  # as stored
    label: str  # as people read it
    meaning: str | None = None  # said after the name where the column is described, when the name is not enough
    colour: str | None = None  # where it is drawn: charts, reports, the dashboard
    terminal: str | None = None  # click's colour name, where a terminal table colours it

    @property
    def ink(self) -> str | None:
        """The colour of text written on `colour`, legible at WCAG AA."""
        return INKS.get(self.colour)


class Vocabulary(Mapping[str, Term]):
    """The terms of one column, in the order they are listed and drawn; iterating gives their names."""

    def __init__(self, *terms: Term):
        self._terms = {term.name: term for term in terms}

    def __getitem__(self, name: str) -> Term:
        return self._terms[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    @property
    def labels(self) -> dict[str, str]:
        return {term.name: term.label for term in self.values()}

    @property
    def colours(self) -> dict[str, str]:
        return {term.name: term.colour for term in self.values() if term.colour}

    def describe(self) -> str:
        """Every allowed value, for a column's description: "a, b (what b means) or c."."""
        words = [f"{term.name} ({term.meaning})" if term.meaning else term.name for term in self.values()]
        return f"{', '.join(words[:-1])} or {words[-1]}."


# A link's health (`resources.state`, `checks.state`): the colours people expect, ok green, at risk amber, dead red.
STATES = Vocabulary(
    Term(OK, "ok", colour=GREEN, terminal="green"),
    Term(AT_RISK, "at risk", colour=AMBER, terminal="yellow"),
    Term(DEAD, "dead", colour=RED, terminal="red"),
    Term(UNKNOWN, "unknown", colour=GREY, terminal="white"),
)

# The order a person reads states in: what needs attention first.
WORST_FIRST = (DEAD, AT_RISK, UNKNOWN, OK)

# `runs.status`
RUN_STATUSES = Vocabulary(
    Term(RUNNING, "running"),
    Term(COMPLETED, "completed"),
    Term(NETWORK_DOWN, "network down", "no canary answered: nothing judged"),
    Term(INTERRUPTED, "interrupted"),
    Term(FAILED, "failed"),
)

# `snapshots.status`: one archive action. A permanent failure is the archive refusing it, and is said so.
SNAPSHOT_STATUSES = Vocabulary(
    Term(PENDING, "pending for the next run", "retried next run"),
    Term(ARCHIVED, "archived"),
    Term(LOST, "lost (no archived copy)"),
    Term(FAILED, "refused"),
)

# `resources.archive_status`: what the archive holds for a reader, as a reader is told. NULL until it has answered.
ARCHIVE_STATUSES = Vocabulary(
    Term(ARCHIVED, "archived copy", "a good capture is recorded in archive_url", GREEN),
    Term(LOST, "lost: no archived copy", "no good capture exists", RED),
    Term(EXCLUDED, "excluded from the Wayback Machine", "the archive refuses the site", AMBER),
    Term(REFUSED, "refused by the Wayback Machine", "Save Page Now refused to capture the page", ORANGE),
)
