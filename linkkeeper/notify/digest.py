"""A run's message: a title that says the gist ("2 links died, 1 recovered — Resources"), then the events grouped
as the run's summary groups them, as plain text and as Markdown (Apprise hands each target the one it renders).

Every group is cut at MAX_PER_GROUP links: the first run of a long list, or a network that failed for every
link, makes one short message, not a page per link; `linkkeeper status` has them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linkkeeper.health.vocabulary import STATES
from linkkeeper.notify.changes import GROUPS, Event
from linkkeeper.output.reports import markdown_link, markdown_text  # outside text escaped as in the report
from linkkeeper.runs.run import RunResult

MAX_PER_GROUP = 20


@dataclass(frozen=True)
class Digest:
    title: str
    body: str
    markdown: str


def digest(list_title: str, events: Sequence[Event], result: RunResult | None, first_run: bool = False) -> Digest:
    """The message for these events (at least one): the title, then each group, then the run's tally."""
    grouped: dict[str, list[Event]] = {}
    for event in events:
        grouped.setdefault(event.group, []).append(event)
    gist = ", ".join(
        (GROUPS[g].one if len(found) == 1 else GROUPS[g].many).format(n=len(found)) for g, found in grouped.items()
    )
    title = f"{'First check: ' if first_run else ''}{gist[:1].upper()}{gist[1:]} — {list_title}"
    tally = _tally(result)
    intro = f"First check of {list_title}: linkkeeper watches these links from now on." if first_run else ""
    plain = [intro] if intro else []
    marked = [markdown_text(intro)] if intro else []
    for group, found in grouped.items():
        heading = f"{GROUPS[group].heading} ({len(found)})"
        plain.append(f"{heading}:")
        marked.append(f"**{markdown_text(heading)}**\n")
        for event in found[:MAX_PER_GROUP]:
            plain.append(_plain(event))
            marked.append(_markdown(event))
        if len(found) > MAX_PER_GROUP:
            more = f"and {len(found) - MAX_PER_GROUP} more: `linkkeeper status` lists them all."
            plain.append(f"  {more}")
            marked.append(f"- {more}")
        marked.append("")
    if tally:
        plain.append(tally)
        marked.append(markdown_text(tally))
    return Digest(title, "\n".join(plain).strip(), "\n".join(marked).strip())


def _tally(result: RunResult | None) -> str:
    if not result or not result.checked:
        return ""
    counts = ", ".join(f"{result.counts.get(state, 0)} {term.label}" for state, term in STATES.items())
    links = "link" if result.checked == 1 else "links"
    return f"Checked {result.checked} {links} (run {result.run_id}): {counts}."


def _plain(event: Event) -> str:
    named = f"{event.title} ({event.section})" if event.title and event.section else event.title
    lines = [f"  {named}"] if named else []
    lines += [f"  {event.url}"] if event.url else []
    lines += [f"      {event.reason}"] if event.reason else []
    lines += [f"      archived copy: {event.archive_url}"] if event.archive_url else []
    return "\n".join(lines)


def _markdown(event: Event) -> str:
    """A link's address is its link's text too: a target that turns Markdown into plain text keeps it."""
    named = f"**{markdown_text(event.title)}**" if event.title else ""
    if named and event.section:
        named += f" ({markdown_text(event.section)})"
    lines = [named] if named else []
    lines += [markdown_link(event.url, event.url)] if event.url else []
    lines += [markdown_text(event.reason)] if event.reason else []
    lines += [f"archived copy: {markdown_link(event.archive_url, event.archive_url)}"] if event.archive_url else []
    return "- " + "  \n  ".join(lines)
