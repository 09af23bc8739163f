"""What a run prints for people: a one-line tally and what changed, the changes alone with --quiet."""

from __future__ import annotations

from archive.step import ArchiveReport
from linkkeeper.health import CHANGE_KINDS
from linkkeeper.run import RunResult

ARCHIVE_WORDS = {
    "archived": "archived",
    "lost": "lost (no archived copy)",
    "failed": "refused",
    "pending": "pending for the next run",
}


def changes_text(result: RunResult) -> str:
    lines = []
    for kind, heading in CHANGE_KINDS.items():
        changed = [c for c in result.changes if c.kind == kind]
        if changed:
            lines.append(f"{heading} ({len(changed)}):")
            lines.extend(f"  {c.url}\n      {c.reason}" for c in changed)
    return "\n".join(lines)


def summary_text(result: RunResult) -> str:
    counts = result.counts
    tally = (
        f"{counts['ok']} ok, {counts['at_risk']} at risk, {counts['dead']} dead,"
        f" {counts['unknown']} unknown"
    )
    links = "link" if result.checked == 1 else "links"
    head = f"Checked {result.checked} {links} in {result.seconds:.1f} s (run {result.run_id}): {tally}."
    parts = [head, changes_text(result) or "No change since the last run.", archive_text(result.archive)]
    return "\n".join(filter(None, parts))


def archive_text(report: ArchiveReport | None, quiet: bool = False) -> str:
    """A tally of the archive step, then each outcome a person must act on or know (all of them unless quiet)."""
    if not report or not report.outcomes:
        return ""
    counts = report.counts()
    tally = ", ".join(f"{counts[status]} {words}" for status, words in ARCHIVE_WORDS.items() if counts.get(status))
    lines = [] if quiet else [f"Archive: {tally}."]
    for outcome in report.outcomes:
        if quiet and outcome.status not in ("lost", "failed"):
            continue
        where = outcome.archive_url or outcome.note or ""
        lines.append(f"  {ARCHIVE_WORDS[outcome.status]}: {outcome.url}\n      {where}")
    if quiet and lines:
        lines.insert(0, "Archive:")
    return "\n".join(lines)


def network_down_text(result: RunResult) -> str:
    failed = "; ".join(f"{c['url']}: {c['error']}" for c in result.canaries)
    return (
        f"Network unavailable: no canary answered ({failed}). Run {result.run_id} recorded as"
        " network_down; no link's state was changed."
    )
