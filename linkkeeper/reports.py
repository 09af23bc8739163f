"""The repaired resource list: for each resource, in the list's order and sections, the link a reader should use now.

A live link is used as it is; a moved page by its new location; a dead page (or one now serving an
error page) by its archived copy, or marked lost when there is none.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, tzinfo
from itertools import groupby
from typing import Any
from urllib.parse import quote, urlsplit

from linkkeeper import times
from linkkeeper.config import Config
from linkkeeper.findings import broken
from linkkeeper.vocabulary import ARCHIVE_STATUSES, ARCHIVED, LOST, STATES, UNKNOWN

FORMATS = ("markdown", "html", "csv", "json")
STATE_WORDS = STATES.labels
STATE_COLOURS = STATES.colours
# Why the link shown is the one to use: a dead page's archived copy, or none, is said as the archive status says it.
USE_WORDS = {
    "live": "live",
    "moved": "moved: new location",
    ARCHIVED: ARCHIVE_STATUSES[ARCHIVED].label,
    LOST: ARCHIVE_STATUSES[LOST].label,
    "broken": "broken: no archived copy known yet",
}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_BREAK = re.compile(r"\r\n|[\r\n]")
# Every character that starts inline markup, an entity, raw HTML or a table cell, or that ATX headings
# strip (a trailing `#`); escaping them all is simpler to trust than escaping them only where they bite.
MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>|#~&]")
# At the start of a line (an entry shown without a link starts its list item) these open a nested
# list, a thematic break or a setext underline: their last character is escaped too.
MARKDOWN_BLOCK_START = re.compile(r"^(?:[-+=]|\d+[.)])")
MARKDOWN_URL_SPECIAL = re.compile(r"[\x00-\x20\x7f()<>`]")
MARKDOWN_URL_ESCAPED = re.compile(r"[\\&]")


@dataclass(frozen=True)
class Entry:
    section: str
    title: str
    kind: str
    cited_as: str
    url: str
    link: str
    use: str  # one of USE_WORDS
    state: str
    reason: str
    last_checked: str | None


def entries(config: Config, health: dict[str, dict[str, Any]]) -> list[Entry]:
    """One entry per resource of the list; `health` is the `link_health` rows (with `finding`) by URL."""
    listed = []
    for resource in config.resources:
        row = health.get(resource.url, {})
        link, use = reader_link(resource.url, row)
        listed.append(
            Entry(
                section=resource.section,
                title=resource.title or resource.url,
                kind=resource.kind,
                cited_as=resource.cited_as,
                url=resource.url,
                link=link,
                use=use,
                state=row.get("state", UNKNOWN),
                reason=row.get("reason") or "not checked yet",
                last_checked=row.get("last_checked"),
            )
        )
    return listed


def reader_link(url: str, row: dict[str, Any]) -> tuple[str, str]:
    """The link to print for a reader, and why it is that one."""
    if broken(row.get("state"), row.get("finding")):
        if row.get("archive_url"):
            return row["archive_url"], ARCHIVED
        return url, LOST if row.get("archive_status") == LOST else "broken"
    if row.get("moved_to"):
        return row["moved_to"], "moved"
    return url, "live"


def render(
    report_format: str, title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo = UTC
) -> str:
    """`where` is the time zone people read times in; CSV and JSON keep the stored UTC times, for programs."""
    return _RENDERERS[report_format](title, listed, runs, generated_at, where)


def _markdown(title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo) -> str:
    lines = [f"# {_md(title)}", "", f"Checked by linkkeeper; generated {times.exact(generated_at, where)}.", ""]
    for section, group in groupby(listed, key=lambda entry: entry.section):
        lines += [f"## {_md(section or 'Other')}", ""]
        for entry in group:
            cited = _md(entry.cited_as or entry.url)
            note = "" if entry.use == "live" else f" ({USE_WORDS[entry.use]}; cited as {cited})"
            checked = times.human(entry.last_checked, where, generated_at)
            state = STATE_WORDS[entry.state]
            lines.append(f"- {_md_link(entry.title, entry.link)}{note}: {state}, last checked {checked}")
        lines.append("")
    return "\n".join(lines)


def _csv(title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo) -> str:
    """Cells that a spreadsheet would take for a formula get a leading `'` (OWASP's advice on CSV injection).

    The CSV is for people who keep the list, who open it in a spreadsheet; its titles and reasons come
    from the list and from servers, and a cell such as `=HYPERLINK(...)` or `@SUM(...)` would run there.
    The apostrophe is hidden by spreadsheets and shows the text as it is; a program that must get every
    value unchanged reads the JSON report instead.
    """
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(Entry.__dataclass_fields__), lineterminator="\n")
    writer.writeheader()
    for entry in listed:
        writer.writerow({name: _inert_cell(value) for name, value in asdict(entry).items()})
    return output.getvalue()


def _inert_cell(value: str | None) -> str | None:
    return "'" + value if value and value.startswith(FORMULA_STARTS) else value


def _json(title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo) -> str:
    document = {"title": title, "generated_at": generated_at, "resources": [asdict(entry) for entry in listed]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _html(title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo) -> str:
    sections = []
    for section, group in groupby(listed, key=lambda entry: entry.section):
        rows = "\n".join(_html_row(entry, generated_at, where) for entry in group)
        sections.append(
            f"<h2>{_h(section or 'Other')}</h2>\n<table>\n<thead><tr><th>Resource</th><th>State</th>"
            f"<th>Link to use</th><th>Last checked</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
        )
    return _HTML_PAGE.format(
        title=_h(title),
        generated_at=_h(times.exact(generated_at, where)),
        chart=state_chart_svg(runs),
        sections="\n".join(sections),
    )


def _html_row(entry: Entry, generated_at: str, where: tzinfo) -> str:
    state = STATES[entry.state]
    use = "" if entry.use == "live" else f'<div class="use">{_h(USE_WORDS[entry.use])}</div>'
    cited = "" if entry.link == entry.url else f'<div class="cited">cited as {_h(entry.cited_as or entry.url)}</div>'
    return (
        f'<tr><td>{_h(entry.title)}{cited}</td>'
        f'<td><span class="state" style="background:{state.colour};color:{state.ink}">{state.label}</span>'
        f'<div class="reason">{_h(entry.reason)}</div></td>'
        f"<td>{_html_link(entry.link)}{use}</td>"
        f"<td>{_h(times.human(entry.last_checked, where, generated_at))}</td></tr>"
    )


def state_chart_svg(runs: list[dict], width: int = 640, height: int = 180) -> str:
    """Link states after each run as stacked bars, drawn inline: the report needs no external asset."""
    runs = runs[-60:]
    if not runs:
        return '<p class="empty">No completed run yet.</p>'
    most = max(sum(run[state] or 0 for state in STATE_COLOURS) for run in runs) or 1
    bar = width / len(runs)
    shapes = []
    for index, run in enumerate(runs):
        base = height
        for state, colour in STATE_COLOURS.items():
            count = run[state] or 0
            size = count / most * (height - 10)
            base -= size
            if count:
                shapes.append(
                    f'<rect x="{index * bar + 1:.1f}" y="{base:.1f}" width="{max(bar - 2, 1):.1f}" '
                    f'height="{size:.1f}" fill="{colour}"><title>run {run["run"]} '
                    f'({_h(run["started_at"][:10])}): {count} {STATE_WORDS[state]}</title></rect>'
                )
    legend = " ".join(
        f'<span class="key" style="background:{colour}"></span>{STATE_WORDS[state]}'
        for state, colour in STATE_COLOURS.items()
    )
    return (
        f'<svg role="img" aria-label="Link states after each run" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(shapes)}</svg>'
        f'<p class="legend">{legend}</p>'
    )


def _linkable(url: str) -> bool:
    """Only web pages and mail addresses become links: `javascript:`, `data:` and the like run in the browser."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed IPv6 host
        return False
    if parts.scheme in ("http", "https"):
        return bool(host)
    return parts.scheme == "mailto" and bool(parts.path)


def _h(text: str) -> str:
    return html.escape(str(text), quote=True)


def _html_link(url: str) -> str:
    if _linkable(url):
        return f'<a href="{_h(url)}">{_h(url)}</a>'
    return f'<span class="not-a-link">{_h(url)}</span> (not a web link)'


def _md(text: str) -> str:
    """`text` as CommonMark/GFM inline content that renders as exactly that text, never as markup.

    Line breaks become spaces: one entry is one line, and a new line could start a heading or a list.
    """
    escaped = MARKDOWN_SPECIAL.sub(r"\\\g<0>", LINE_BREAK.sub(" ", text))
    return MARKDOWN_BLOCK_START.sub(lambda start: f"{start.group()[:-1]}\\{start.group()[-1]}", escaped)


def _md_link(text: str, url: str) -> str:
    """A reader follows only links to web pages and mail addresses; any other URL is shown, as text."""
    if not _linkable(url):
        return f"{_md(text)} ({_md(url)}, not a web link)"
    # The destination must end at its own `)`: characters that would end it early or open raw HTML
    # are percent-encoded, and `\` and `&` escaped so that no escape or entity rewrites the URL.
    destination = MARKDOWN_URL_SPECIAL.sub(lambda match: quote(match.group(), safe=""), url)
    destination = MARKDOWN_URL_ESCAPED.sub(r"\\\g<0>", destination)
    return f"[{_md(text)}]({destination})"


_RENDERERS = {"markdown": _markdown, "html": _html, "csv": _csv, "json": _json}

_HTML_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.4em; text-align: left; vertical-align: top; }}
.state {{ border-radius: 0.3em; padding: 0 0.4em; white-space: nowrap; }}
.reason, .cited, .use {{ font-size: 0.85em; color: #555; }}
.key {{ display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em; vertical-align: middle; }}
a {{ word-break: break-all; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Checked by linkkeeper; generated {generated_at}. For each resource: the link to use now (the live page,
its new location, or its archived copy), its state and when it was last checked.</p>
<h2>Link states over time</h2>
{chart}
{sections}
</body>
</html>
"""
