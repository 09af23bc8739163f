"""PDF reports: a PDF cannot be edited in place without breaking its layout (and any signature on it), so
its repair is an errata sheet to publish beside it, in Markdown or HTML: for each cited link that died or
moved, the page it is on, the words it is cited with, the old link and what replaces it.

The pages are read as `import` reads them (`import_pdf.page_blocks`, then `import_html`), so the sheet
lists exactly the links `import` put in the list: link areas with the words under them, and printed
addresses with the words before them.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from lxml.html import builder as E
from lxml.html import tostring
from markupsafe import Markup, escape

from linkkeeper.importer.html import extract_html
from linkkeeper.importer.pdf import page_blocks
from linkkeeper.output.html_page import html_page
from linkkeeper.repair.changes import Change, Repaired
from linkkeeper.repair.plan import Plan
from linkkeeper.urls import archived_original

FORMS = ("markdown", "html")
NO_COPY = "no archived copy; left for a person"
COLUMNS = ("Page", "Cited text", "Old link", "Replacement", "Why")
INTRO = (
    "Links of this report that died or moved since it was published, and what replaces each: an archived"
    " copy of the page as it was cited, or the page's new address. A link with no archived copy is left for a"
    " person to find."
)
NOTHING = "No link of this report needs correcting."
# Only a web address is made a link in the sheet: a hostile `javascript:` one stays text.
_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"'`\\\x00-\x1f\x7f]+$", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~!#])")
_CELL = Markup("<td>{}</td>")
_STYLE = """\
table { border-collapse: collapse; }
th, td { border: 1px solid #999; padding: .3em .5em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
"""
_BODY = Markup("<h1>{title}</h1>\n<p>{intro}</p>\n{table}\n")


def errata_pdf(data: bytes, where: str, plan: Plan, form: str) -> Repaired:
    """The errata sheet (`form`: markdown or html) and its changes, page by page: the PDF itself is left
    as it is, since its words and layout cannot be edited without redrawing the page."""
    if form not in FORMS:
        raise ValueError(f"an errata sheet is {' or '.join(FORMS)}, not {form!r}")
    rows: list[tuple[str, Change]] = []  # the words the link is cited with, the change
    for number, blocks in enumerate(page_blocks(data, where), 1):
        found = extract_html(tostring(E.HTML(E.BODY(*blocks))))
        cited = [
            (link.title, link.cited_as, plan.for_url(link.url)) for link in found.links
            if not archived_original(link.cited_as)  # import reads a copy as its page: this one is repaired
        ]
        cited += [(lost.text, lost.cited_as, plan.for_lost(lost.text)) for lost in found.lost]
        rows += [(words, Change(f"page {number}", old, fix)) for words, old, fix in cited if fix]
    title = f"Errata: the links of {PurePath(where).name}"
    sheet = _markdown(title, rows) if form == "markdown" else _html(title, rows)
    return Repaired(sheet.encode(), [change for _, change in rows])


def _markdown(title: str, rows: list[tuple[str, Change]]) -> str:
    lines = [f"# {_escaped(title)}", "", INTRO, ""]
    if not rows:
        lines.append(NOTHING)
    else:
        lines += [f"| {' | '.join(COLUMNS)} |", "|---" * len(COLUMNS) + "|"]
        for words, change in rows:
            cells = (
                _page(change), _escaped(words), _markdown_link(change.old),
                _markdown_link(change.new) if change.new else NO_COPY, _escaped(change.fix.why),
            )
            lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def _escaped(text: str) -> str:
    """Text that stays text in a Markdown table cell: no markup, link, raw HTML or cell border in it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _markdown_link(url: str) -> str:
    """An autolink for a web address, a `|` in it percent-encoded (GFM splits a table's cells before it
    reads links, and no escape works inside an autolink); text otherwise."""
    return f"<{url.replace('|', '%7C')}>" if _WEB_ADDRESS.match(url) else _escaped(url)


def _html(title: str, rows: list[tuple[str, Change]]) -> str:
    if not rows:
        table = Markup("<p>{}</p>").format(NOTHING)
    else:
        head = Markup("").join(Markup("<th>{}</th>").format(column) for column in COLUMNS)
        body = Markup("\n").join(
            Markup("<tr>{}</tr>").format(
                Markup("").join(
                    _CELL.format(cell) for cell in (
                        _page(change), words, change.old,
                        _html_link(change.new) if change.new else NO_COPY, change.fix.why,
                    )
                )
            )
            for words, change in rows
        )
        table = Markup("<table>\n<thead><tr>{}</tr></thead>\n<tbody>\n{}\n</tbody>\n</table>").format(head, body)
    return html_page(escape(title), _STYLE, _BODY.format(title=title, intro=INTRO, table=table))


def _html_link(url: str) -> Markup | str:
    return Markup('<a href="{0}">{0}</a>').format(url) if _WEB_ADDRESS.match(url) else url


def _page(change: Change) -> str:
    return change.where.removeprefix("page ")
