"""What a run prints for people: a one-line tally and what changed, the changes alone with --quiet.

The archive step's lines follow, from `archive.step.archive_text`: cli.py puts them together.
"""

from __future__ import annotations

from linkkeeper.health.state import CHANGE_KINDS
from linkkeeper.health.vocabulary import NETWORK_DOWN, STATES
from linkkeeper.runs.run import RunResult


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
    tally = ", ".join(f"{counts[state]} {term.label}" for state, term in STATES.items())
    links = "link" if result.checked == 1 else "links"
    head = f"Checked {result.checked} {links} in {result.seconds:.1f} s (run {result.run_id}): {tally}."
    return f"{head}\n{changes_text(result) or 'No change since the last run.'}"


def network_down_text(result: RunResult) -> str:
    failed = "; ".join(f"{c['url']}: {c['error']}" for c in result.canaries)
    return (
        f"Network unavailable: no canary answered ({failed}). Run {result.run_id} recorded as"
        f" {NETWORK_DOWN}; no link's state was changed."
    )
