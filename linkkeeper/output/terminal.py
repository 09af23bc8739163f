"""What `linkkeeper status` and `linkkeeper history` print: readable in a terminal and in mail, or as JSON.

People run `status` to see what needs them, so the worst links come first, with the counts above them;
lines fit the terminal (a table cell cut short ends with "…"; `--json` has every value whole); times
read as "3 days ago (2026-11-26 19:37 NZDT)" in the list's time zone, named once at the top.
"""

from __future__ import annotations

import shutil
import textwrap
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from linkkeeper.config.resources import load_config
from linkkeeper.config.settings import zone
from linkkeeper.config.yaml_input import settings_block
from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, STATES, UNKNOWN, WORST_FIRST
from linkkeeper.output import times

FALLBACK_WIDTH = 100  # a pipe or cron mail has no terminal: wide enough for the columns, narrow enough for mail
NARROWEST_CELL = 12
ELLIPSIS = "…"


def timezone_of(config_path: Path) -> ZoneInfo:
    """The list's time zone; UTC when there is no list (`--db` alone). `status` and `history` need only this of
    the list: its `settings:` block alone is read when it can be (`settings_block`) and names a zone this
    machine knows; otherwise the whole list, so that a bad list is bad input as anywhere."""
    path = config_path.absolute()
    if not path.is_file():
        return ZoneInfo("UTC")
    settings = settings_block(path)
    if settings is not None:
        with suppress(ValueError):
            return zone(str(settings.get("timezone", "UTC")))
    return ZoneInfo(load_config(path).settings.timezone)


def terminal_width() -> int:
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


def worst_first(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dead, then at risk, unknown, ok; list order within a state (the sort is stable)."""
    rank = {state: index for index, state in enumerate(WORST_FIRST)}
    return sorted(rows, key=lambda row: rank.get(row["state"], len(rank)))


def counts(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    found = Counter(row["state"] for row in rows)
    return {state: found[state] for state in WORST_FIRST}


def counts_line(rows: Sequence[dict[str, Any]]) -> str:
    tally = ", ".join(f"{count} {STATES[state].label}" for state, count in counts(rows).items())
    return f"{len(rows)} link{'' if len(rows) == 1 else 's'}: {tally}."


def status_json(rows: Sequence[dict[str, Any]], where: ZoneInfo) -> dict[str, Any]:
    return {"timezone": where.key, "counts": counts(rows), "resources": worst_first(rows)}


def status_text(rows: Sequence[dict[str, Any]], where: ZoneInfo, now: str, width: int, colour: bool) -> str:
    """One block a link, worst first: its state and title; its URL; its reason, since when, its archived copy.

    A block rather than a table row: a row wide enough for a URL, a reason and two times is 200 characters,
    and cutting it to a terminal's 80 would cut the URL people copy. Only the reason line is wrapped.
    """
    if not rows:
        return "No resource matches."
    lines = [f"{counts_line(rows)} Times in {where.key}."]
    label_width = max(len(term.label) for term in STATES.values())
    indent = " " * (label_width + 2)
    for row in worst_first(rows):
        state = STATES.get(row["state"]) or STATES[UNKNOWN]
        label = state.label.ljust(label_width)
        lines += ["", f"{click.style(label, fg=state.terminal) if colour else label}  {row['title'] or row['url']}"]
        if row["title"]:
            lines.append(indent + row["url"])
        about = "; ".join(filter(None, [row["reason"], *_since(row, state.label, where, now)]))
        lines += textwrap.wrap(about, width, initial_indent=indent, subsequent_indent=indent, break_long_words=False)
        copy = _archive_words(row, where)
        lines += [indent + text for text in (copy, row["archive_url"]) if text]
    return "\n".join(lines)


def _since(row: dict[str, Any], label: str, where: ZoneInfo, now: str) -> list[str]:
    """When the link took its state and, if it is failing, when it first failed: a dead link was declared
    dead only after failing for days, and a reader rewriting a report wants both."""
    said = [f"{label} since {times.human(row['since'], where, now)}"] if row["since"] else []
    if row.get("failing_since") and row["failing_since"] != row["since"]:
        said.append(f"failing since {times.human(row['failing_since'], where, now)}")
    return said


def _archive_words(row: dict[str, Any], where: ZoneInfo) -> str:
    words = times.archived_words(row["archive_url"], row["archived_at"])
    if words:
        return words
    status = ARCHIVE_STATUSES.get(row["archive_status"])
    return status.label if status else ""


def history_json(
    resource: dict[str, Any] | None, checks: list[dict], snapshots: list[dict], where: ZoneInfo,
    daily: Sequence[dict] = (),
) -> dict:
    return {
        "timezone": where.key, "resource": resource, "checks": checks, "snapshots": snapshots,
        "daily_checks": list(daily),
    }


def history_text(
    url: str, resource: dict[str, Any] | None, checks: list[dict], snapshots: list[dict], where: ZoneInfo,
    now: str, width: int, colour: bool, daily: Sequence[dict] = (),
) -> str:
    """`daily`: the days rolled up (`daily_checks`), newest first, shown after the checks, one line a day:
    older than every check but the state changes kept, which the checks above show in their place."""
    lines = []
    if resource:
        state = STATES[resource["state"]].label
        said = [f"{state} since {times.human(resource['since'], where, now)}"]
        if resource["failing_since"]:
            said.append(f"failing since {times.human(resource['failing_since'], where, now)}")
        said.append(f"why: {resource['reason']}")
        lines += [resource["title"] or url, url]
        lines += [wrapped for line in said for wrapped in _wrap(line, width)]
    else:
        lines += [f"{url} (no longer in the list)"]
    lines += [f"Times in {where.key}.", "", "Checks, newest first:"]
    shown = [
        {
            "checked": times.human(check["checked_at"], where, now),
            "state": check["state"],
            "http": check["status_code"],
            "finding": check["finding"],
            "ms": check["elapsed_ms"],
            "reason": check["reason"],
        }
        for check in checks
    ]
    lines.append(table(shown, ("checked", "state", "http", "finding", "ms", "reason"), width, colour))
    if daily:
        lines += [
            "",
            f"Older checks, one line a day (UTC), newest first: {len(daily)} days rolled up; the checks that changed"
            " the state are among the checks above.",
        ]
        shown = [{**day, "state": day["worst_state"]} for day in daily]
        columns = ("day", "state", "checks", "ok", "warning", "failure", "blocked", "median_ms")
        lines.append(table(shown, columns, width, colour))
    if snapshots:
        lines += ["", "Archive snapshots, newest first:"]
        shown = [
            {
                "requested": times.human(snapshot["requested_at"], where, now),
                "action": snapshot["action"],
                "status": snapshot["status"],
                "copy": times.archived_words(snapshot["archive_url"], snapshot["captured_at"]),
                "note": snapshot["error"] or snapshot["note"],  # what went wrong, else which capture and why
            }
            for snapshot in snapshots
        ]
        lines.append(table(shown, ("requested", "action", "status", "copy", "note"), width, colour))
        # A copy's address is what people copy: whole, on its own line, never cut to fit a column.
        copies = dict.fromkeys(snapshot["archive_url"] for snapshot in snapshots if snapshot["archive_url"])
        lines += ["", "Copies:", *(f"  {url}" for url in copies)] if copies else []
        lines += _passed_over(snapshots, where, width, colour)
    return "\n".join(lines)


def _passed_over(snapshots: list[dict], where: ZoneInfo, width: int, colour: bool) -> list[str]:
    """The captures look-ups did not send readers to, and why: what a person checks before trusting the copy."""
    shown = [
        {
            "captured": times.day(times.from_wayback(passed["timestamp"]), where),
            "http": passed["status"],
            "finding": passed["finding"],
            "reason": passed["reason"],
        }
        for snapshot in snapshots
        for passed in snapshot.get("passed_over", ())
    ]
    if not shown:
        return []
    columns = ("captured", "http", "finding", "reason")
    return ["", "Captures passed over, newest first:", table(shown, columns, width, colour)]


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int, colour: bool = False) -> str:
    """Columns padded to their widest cell, then the widest cut until a line fits `width`.

    The last column (free text: a reason, an error) is cut first, then the widest; none below
    NARROWEST_CELL, so on a very narrow terminal lines wrap rather than say nothing. A `state` column
    shows the state's label, coloured when `colour`.
    """
    cells = [[_cell(column, row.get(column)) for column in columns] for row in rows]
    headings = [column.upper() for column in columns]
    widths = [max([len(heading)] + [len(line[i]) for line in cells]) for i, heading in enumerate(headings)]
    gaps = 2 * (len(columns) - 1)
    while sum(widths) + gaps > width and max(widths) > NARROWEST_CELL:
        cut = len(widths) - 1 if widths[-1] > NARROWEST_CELL else widths.index(max(widths))
        widths[cut] = max(NARROWEST_CELL, widths[cut] - (sum(widths) + gaps - width))
    lines = ["  ".join(heading.ljust(size) for heading, size in zip(headings, widths, strict=True)).rstrip()]
    for row, line in zip(rows, cells, strict=True):
        padded = []
        for column, cell, size in zip(columns, line, widths, strict=True):
            text = _cut(cell, size).ljust(size)
            if colour and column == "state":
                text = click.style(text, fg=(STATES.get(row.get("state")) or STATES[UNKNOWN]).terminal)
            padded.append(text)
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def _cell(column: str, value: Any) -> str:
    if column == "state" and value in STATES:
        return STATES[value].label
    return "" if value is None else " ".join(str(value).split())


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + ELLIPSIS


def _wrap(text: str, width: int) -> list[str]:
    """Lines of a terminal's width; an address longer than that stays whole, to be copied."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
