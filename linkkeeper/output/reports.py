"""The repaired resource list: for each resource, in the list's order and sections, the link a reader should use now.

A live link is used as it is; a moved page by its new location; a dead page by its archived copy, or, when
there is none, is said to be no longer available, its old address written as text, never offered as the
link to use. A link at risk keeps its own address: the list is published, and one failed check is not
enough to tell readers a page is gone.

Reports are published: they speak the reader's voice (`reader.sentence`), never the evidence (the stored
reason, for the person who runs linkkeeper: `status`, `history`, the dashboard's link page), and their dates
are absolute, in the list's time zone, named once at the top.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, tzinfo
from itertools import groupby
from typing import Any
from urllib.parse import quote, urlsplit

from linkkeeper.config.resources import Config
from linkkeeper.health.vocabulary import ARCHIVE_STATUSES, ARCHIVED, AT_RISK, DEAD, LOST, OK, STATES, UNKNOWN
from linkkeeper.output import reader, times
from linkkeeper.output.html_page import html_page

FORMATS = ("markdown", "html", "csv", "json")
STATE_WORDS = STATES.labels
STATE_COLOURS = STATES.colours
# Why the link shown is the one to use, in a reader's words: a dead page's archived copy, or none, is said as
# the archive status says it (an archived copy with its capture date, when its address or the database has it).
UNAVAILABLE = "unavailable"
USE_WORDS = {
    "live": "live",
    "moved": "moved: new location",
    ARCHIVED: ARCHIVE_STATUSES[ARCHIVED].label,
    LOST: ARCHIVE_STATUSES[LOST].label,
    UNAVAILABLE: "gone: no archived copy found yet",
}
# Said of a link at risk that is still the one to use: mild, because most such links recover.
AT_RISK_NOTE = "a recent check found a problem; the link is kept while it is watched"
# What a reader is told of a link gone with no copy to offer, instead of a link.
NO_LONGER_AVAILABLE = "no longer available"
# The counts table: what each state means to a reader of the list.
STATE_MEANINGS = {
    OK: "the page works",
    AT_RISK: "the page answers, but a recent check found a problem; its link is kept",
    DEAD: "the page is gone; its archived copy is linked instead, where one exists",
    UNKNOWN: "could not be checked automatically (the site asks for a sign-in or blocks automated visits),"
    " or not checked yet",
}
ARCHIVED_MEANING = "dead links replaced by a copy in the Wayback Machine"
CHART_RUNS = 30  # a month of daily runs: the chart and its table of numbers stay readable on a phone

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
    link: str | None  # the link to use; None for a page gone with no copy to offer (`gone`)
    use: str  # one of USE_WORDS
    state: str
    summary: str  # the reader's sentence (reader.sentence)
    last_checked: str | None
    captured_at: str | None = None  # when the archived copy given as `link` was captured, UTC, if known


def entries(config: Config, health: dict[str, dict[str, Any]], where: tzinfo = UTC) -> list[Entry]:
    """One entry per resource of the list; `health` is the `link_health` rows (with `finding`) by URL, `where`
    the list's time zone (the dates of the reader's sentences)."""
    listed = []
    for resource in config.resources:
        row = health.get(resource.url, {})
        link, use = reader_link(resource.url, row)
        captured = times.captured(row.get("archive_url"), row.get("archived_at")) if use == ARCHIVED else None
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
                summary=reader.sentence(row, where),
                last_checked=row.get("last_checked"),
                captured_at=captured,
            )
        )
    return listed


def reader_link(url: str, row: dict[str, Any]) -> tuple[str | None, str]:
    """The link to print for a reader (None: there is none to offer), and why.

    Only a dead link gives way to its archived copy: a link at risk (even one that served an error page
    once) stays, since most recover and a reader sent to a years-old copy of a live page is misled.
    """
    if row.get("state") == DEAD:
        if row.get("archive_url"):
            return row["archive_url"], ARCHIVED
        return None, LOST if row.get("archive_status") == LOST else UNAVAILABLE
    if row.get("moved_to"):
        return row["moved_to"], "moved"
    return url, "live"


def render(
    report_format: str, title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo = UTC
) -> str:
    """`where` is the time zone people read times in; CSV and JSON keep the stored UTC times, for programs."""
    return _RENDERERS[report_format](title, listed, runs, generated_at, where)


def counts(listed: list[Entry]) -> dict[str, int]:
    """Links per state as the report lists them, then how many dead ones a reader gets an archived copy for."""
    tally = {state: sum(1 for entry in listed if entry.state == state) for state in STATES}
    return {**tally, ARCHIVED: sum(1 for entry in listed if entry.use == ARCHIVED)}


def _count_rows(listed: list[Entry]) -> list[tuple[str, str, int, str]]:
    """(state or ARCHIVED, its words, how many, what it means): the rows of the counts table in every format.

    Before the first completed run every link is unknown and the table would say nothing: it is left out.
    """
    tally = counts(listed)
    rows = [(state, STATE_WORDS[state], tally[state], STATE_MEANINGS[state]) for state in STATES]
    return [*rows, (ARCHIVED, "archived copies", tally[ARCHIVED], ARCHIVED_MEANING)]


def gone(entry: Entry) -> bool:
    """A dead link with no archived copy: the reader gets no link, only the words and the old address as text."""
    return entry.use in (LOST, UNAVAILABLE)


def checked_on(entry: Entry, where: tzinfo) -> str:
    """When the link was last checked, as a date: a published file is read long after it was made."""
    return reader.date(entry.last_checked, where) if entry.last_checked else "not yet"


def zone_words(where: tzinfo, at: str) -> str:
    """`Pacific/Fiji time (UTC+12:00)`: the zone every date of a report is in, named once at its top."""
    name = getattr(where, "key", None) or str(where)
    offset = times.parse(at).astimezone(where).strftime("%z")
    return f"Dates are in {name} time (UTC{offset[:3]}:{offset[3:]})." if name != "UTC" else "Dates are in UTC."


def _note(entry: Entry, where: tzinfo) -> str | None:
    """What a reader is told beside the link, when it is not simply the page as cited."""
    if entry.use == "live":
        return AT_RISK_NOTE if entry.state == AT_RISK else None
    if entry.use == ARCHIVED:
        return times.archived_words(entry.link, entry.captured_at)
    return USE_WORDS[entry.use]


def _markdown(title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo) -> str:
    lines = [
        f"# {markdown_text(title)}", "", f"Checked by linkkeeper; generated {reader.date(generated_at, where)}."
        f" {zone_words(where, generated_at)}", "",
    ]
    if runs:
        lines += ["| Links | Count | What it means |", "|---|--:|---|"]
        lines += [f"| {words} | {count} | {meaning} |" for _, words, count, meaning in _count_rows(listed)]
        lines.append(f"| total | {len(listed)} | |")
        lines.append("")
    for section, group in groupby(listed, key=lambda entry: entry.section):
        lines += [f"## {markdown_text(section or 'Other')}", ""]
        for entry in group:
            summary = f"{markdown_text(entry.summary)} Checked {checked_on(entry, where)}."
            if gone(entry):
                was = f"{NO_LONGER_AVAILABLE}, it was at `{_code(entry.url)}`"
                lines.append(f"- {markdown_text(entry.title)}: {was}. {summary}")
                continue
            said = _note(entry, where)
            cited = "" if entry.link == entry.url else f"; cited as {markdown_text(entry.cited_as or entry.url)}"
            note = f" ({said}{cited})" if said else ""
            lines.append(f"- {markdown_link(entry.title, entry.link)}{note}: {summary}")
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
        writer.writerow({name: _inert_cell(value) for name, value in vars(entry).items()})
    return output.getvalue()


def _inert_cell(value: str | None) -> str | None:
    return "'" + value if value and value.startswith(FORMULA_STARTS) else value


def _json(title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo) -> str:
    document = {
        "title": title,
        "generated_at": generated_at,
        "time_zone": getattr(where, "key", None) or str(where),
        "counts": counts(listed),
        "resources": [vars(entry) for entry in listed],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _html(title: str, listed: list[Entry], runs: list[dict], generated_at: str, where: tzinfo) -> str:
    sections = []
    for section, group in groupby(listed, key=lambda entry: entry.section):
        rows = "\n".join(_html_row(entry, generated_at, where) for entry in group)
        sections.append(
            f'<h2>{_h(section or "Other")}</h2>\n<table class="links">\n<thead><tr><th>Resource</th><th>State</th>'
            f"<th>Link to use</th><th>Checked</th></tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
        )
    charted = runs[-CHART_RUNS:]
    summary = (
        f"{_html_counts(listed)}\n{state_chart_svg(charted, where)}\n{_html_run_table(charted, where)}"
        if runs
        else '<p class="empty">No completed run yet.</p>'
    )
    body = _HTML_BODY.format(
        title=_h(title),
        generated_at=_h(reader.date(generated_at, where)),
        zone=_h(zone_words(where, generated_at)),
        summary=summary,
        sections="\n".join(sections),
    )
    return html_page(_h(title), _HTML_STYLE, body)


def _badge(state: str, words: str) -> str:
    term = STATES[state] if state in STATES else ARCHIVE_STATUSES[state]
    return f'<span class="state" style="background:{term.colour};color:{term.ink}">{_h(words)}</span>'


def _html_counts(listed: list[Entry]) -> str:
    rows = "\n".join(
        f'<tr><th scope="row">{_badge(state, words)}</th><td class="number">{count}</td><td>{_h(meaning)}</td></tr>'
        for state, words, count, meaning in _count_rows(listed)
    )
    return (
        '<table class="counts">\n<caption>The links of this list, by state</caption>\n'
        '<thead><tr><th scope="col">Links</th><th scope="col">Count</th><th scope="col">What it means</th></tr>'
        f'</thead>\n<tbody>\n{rows}\n<tr><th scope="row">total</th><td class="number">{len(listed)}</td><td></td></tr>'
        "\n</tbody>\n</table>"
    )


def _html_row(entry: Entry, generated_at: str, where: tzinfo) -> str:
    state = STATES[entry.state]
    said = _note(entry, where)
    shown = entry.link not in (entry.url, None)
    cited = f'<div class="cited">cited as {_h(entry.cited_as or entry.url)}</div>' if shown else ""
    if entry.use == ARCHIVED and entry.captured_at and _linkable(entry.link):
        # "archived 2019-06-05" is the link itself: the date says what the reader will see, the address is noise.
        link = f'<a href="{_h(entry.link)}">{_h(said)}</a>'
    elif gone(entry):
        link = f'<strong>{NO_LONGER_AVAILABLE}</strong><div class="use">it was at <code>{_h(entry.url)}</code></div>'
    else:
        link = _html_link(entry.link) + (f'<div class="use">{_h(said)}</div>' if said else "")
    return (
        f'<tr><td data-label="Resource">{_h(entry.title)}{cited}</td>'
        f'<td data-label="State"><span class="state" style="background:{state.colour};color:{state.ink}">'
        f'{state.label}</span><div class="reason">{_h(entry.summary)}</div></td>'
        f'<td data-label="Link to use">{link}</td>'
        f'<td data-label="Checked">{_h(checked_on(entry, where))}</td></tr>'
    )


# The chart's drawing area, in the SVG's own units; the SVG scales to the page's width (a phone's too).
# Narrow units, so that the 13-unit text is still about 11 px on a phone.
CHART_WIDTH, CHART_HEIGHT = 420, 220
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 36, 412, 26, 190
# A date's width in the chart's units (ten characters of 13): dates are spaced at least one and a half of it
# apart, so that even the first and last, pulled inside the chart's edges, never overlap their neighbours.
DATE_WIDTH = 76


def _step(most: int) -> int:
    """A round distance between the y axis's numbers (1, 2, 5, 10, 20, ...) giving at most five of them."""
    step = 1
    while most / step > 4:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return step


def state_chart_svg(runs: list[dict], where: tzinfo = UTC) -> str:
    """Link states after each run as stacked bars, with the number of links up the side and dates along the
    bottom, drawn inline: the report needs no external asset, and a mail client that drops the SVG still
    shows the table of the same numbers beside it."""
    totals = [sum(run[state] or 0 for state in STATE_COLOURS) for run in runs]
    step = _step(max(totals) or 1)
    top = -(-(max(totals) or 1) // step) * step
    scale = (PLOT_BOTTOM - PLOT_TOP) / top
    bar = (PLOT_RIGHT - PLOT_LEFT) / len(runs)
    shapes = []
    for value in range(0, top + 1, step):
        y = PLOT_BOTTOM - value * scale
        shapes.append(
            f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{PLOT_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    every = -(-(DATE_WIDTH * 3 // 2 + 8) // int(bar))
    for index, run in enumerate(runs):
        base = PLOT_BOTTOM
        date = times.day(run["started_at"], where)
        for state, colour in STATE_COLOURS.items():
            count = run[state] or 0
            size = count * scale
            base -= size
            if count:
                shapes.append(
                    f'<rect x="{PLOT_LEFT + index * bar + 1:.1f}" y="{base:.1f}" width="{max(bar - 2, 1):.1f}" '
                    f'height="{size:.1f}" fill="{colour}"><title>run {run["run"]} '
                    f"({_h(date)}): {count} {STATE_WORDS[state]}</title></rect>"
                )
        if (len(runs) - 1 - index) % every == 0:  # counted from the newest run, which is always dated
            centre = min(max(PLOT_LEFT + (index + 0.5) * bar, DATE_WIDTH / 2), CHART_WIDTH - DATE_WIDTH / 2)
            shapes.append(f'<text x="{centre:.1f}" y="{PLOT_BOTTOM + 18}" text-anchor="middle">{_h(date)}</text>')
    last = runs[-1]
    latest = ", ".join(f"{last[state] or 0} {STATE_WORDS[state]}" for state in STATE_COLOURS)
    label = (
        f"Links in each state after each of the last {len(runs)} runs, from {times.day(runs[0]['started_at'], where)} "
        f"to {times.day(last['started_at'], where)}; after the last run: {latest}. The numbers are in the table below."
    )
    legend = " ".join(
        f'<span class="key" style="background:{colour}"></span>{STATE_WORDS[state]}'
        for state, colour in STATE_COLOURS.items()
    )
    return (
        f'<svg role="img" aria-label="{_h(label)}" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="100%" '
        f'style="max-width:{CHART_WIDTH}px;height:auto" font-family="system-ui, sans-serif" font-size="13" '
        f'fill="#222" xmlns="http://www.w3.org/2000/svg"><text x="0" y="13">links</text>{"".join(shapes)}</svg>'
        f'<p class="legend">{legend}</p>'
    )


def _html_run_table(runs: list[dict], where: tzinfo) -> str:
    """The chart's numbers as a table, newest first: what screen readers and mail clients without SVG get."""
    header = "".join(f'<th scope="col">{_h(STATE_WORDS[state])}</th>' for state in STATE_COLOURS)
    rows = "\n".join(
        f'<tr><th scope="row">{_h(times.day(run["started_at"], where))}</th>'
        + "".join(f'<td class="number">{run[state] or 0}</td>' for state in STATE_COLOURS)
        + "</tr>"
        for run in reversed(runs)
    )
    return (
        '<table class="runs">\n<caption>Links in each state after each run, newest first</caption>\n'
        f'<thead><tr><th scope="col">Date</th>{header}</tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>"
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


def markdown_text(text: str) -> str:
    """`text` as CommonMark/GFM inline content that renders as exactly that text, never as markup.

    Line breaks become spaces: one entry is one line, and a new line could start a heading or a list.
    """
    escaped = MARKDOWN_SPECIAL.sub(r"\\\g<0>", LINE_BREAK.sub(" ", text))
    return MARKDOWN_BLOCK_START.sub(lambda start: f"{start.group()[:-1]}\\{start.group()[-1]}", escaped)


def _code(text: str) -> str:
    """`text` inside a code span: backticks and line breaks, which would end or break it, replaced."""
    return LINE_BREAK.sub(" ", text).replace("`", "%60")


def markdown_link(text: str, url: str) -> str:
    """A reader follows only links to web pages and mail addresses; any other URL is shown, as text."""
    if not _linkable(url):
        return f"{markdown_text(text)} ({markdown_text(url)}, not a web link)"
    # The destination must end at its own `)`: characters that would end it early or open raw HTML
    # are percent-encoded, and `\` and `&` escaped so that no escape or entity rewrites the URL.
    destination = MARKDOWN_URL_SPECIAL.sub(lambda match: quote(match.group(), safe=""), url)
    destination = MARKDOWN_URL_ESCAPED.sub(r"\\\g<0>", destination)
    return f"[{markdown_text(text)}]({destination})"


_RENDERERS = {"markdown": _markdown, "html": _html, "csv": _csv, "json": _json}

_HTML_STYLE = """\
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2em; }
caption { text-align: left; font-weight: bold; padding: 0.4em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.4em; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
.number { text-align: right; font-variant-numeric: tabular-nums; }
.state { border-radius: 0.3em; padding: 0 0.4em; white-space: nowrap; }
.reason, .cited, .use { font-size: 0.85em; color: #555; }
.key { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em; vertical-align: middle; }
a { word-break: break-all; }
table.runs { max-width: 30em; }
table.runs tbody th { white-space: nowrap; }
@media (max-width: 40em) {
  table.links, table.links tbody, table.links tr, table.links td { display: block; }
  table.links thead { display: none; }
  table.links tr { border-bottom: 2px solid #bbb; padding: 0.4em 0; }
  table.links td { border: 0; padding: 0.2em 0; }
  table.links td::before { content: attr(data-label); display: block; font-size: 0.8em; color: #555; }
}
"""
_HTML_BODY = """\
<h1>{title}</h1>
<p>Checked by linkkeeper; generated {generated_at}. {zone} For each resource: the link to use now (the live
page, its new location, or, for a page that is gone, its archived copy), its state and when it was last
checked.</p>
<h2>At a glance</h2>
{summary}
{sections}
"""
