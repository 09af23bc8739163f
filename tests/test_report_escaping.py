"""Reports of hostile entries: text from the list and from servers stays text in every format.

The markdown is read back with a real CommonMark parser (markdown-it-py, with raw HTML on, GFM tables
and strikethrough on, and its own guard against `javascript:` links off, so that only the report's
escaping stands between the entries and the reader's browser).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, replace
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

from linkkeeper.output.reports import Entry, render

HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1)) and ![image](https://evil.example/x.png)",
    "<https://autolink.example/> and <b onmouseover=alert(1)>bold</b>",
    r"back\slash \[not a link\] and a trailing backslash \\",
    "`code` and ``double `code` span``",
    "a | table | cell",
    "*bold* and _em_ and __strong__ and ~~struck~~",
    "# not a heading",
    "a heading that ends with #",
    "&lt;entities&gt; &amp; &#106;&#x61; stay as typed",
    "line one\n# line two\n- line three\r\n<script>alert(2)</script>\rline four",
    "1. not a list; + nor this; > nor a quote; --- nor a rule",
    "2) nor this",
    "- nor a nested list",
    "+ nor this",
    "--- nor a rule",
    "=== nor an underline",
]
NOT_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "https://",
]
LINKS = [
    "https://example.org/a b)(c)<d>`e`\\f&amp;g",
    "http://example.org/)[x](javascript:alert(1))",
    "http://example.org/<script>alert(1)</script>",
    "mailto:someone@example.org",
]
SAFE_SCHEMES = ("http", "https", "mailto")
MARKDOWN_TAGS = {"h1", "h2", "p", "ul", "li", "a"}
HTML_REPORT_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "table", "thead", "tbody",
                    "tr", "th", "td", "div", "span", "a"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # per OWASP's page on CSV injection
VOID_TAGS = {"meta", "img", "br", "hr", "input", "link"}
GENERATED_AT = "2026-11-29T06:00:00+00:00"


def hostile_entries() -> list[Entry]:
    """Every hostile text as title, section, citation and summary, each with a hostile or a tricky link."""
    urls = NOT_LINKS + LINKS
    return [
        Entry(
            section=text, title=text, kind="toolkit", cited_as=text, url=text, link=urls[index % len(urls)],
            use="archived", state="dead", summary=text, last_checked=GENERATED_AT,
        )
        for index, text in enumerate(HOSTILE_TEXTS + [f"entry {n}" for n in range(len(urls))])
    ]


def one_line(text: str) -> str:
    """What a markdown report shows of `text`: one entry is one line, so its line breaks become spaces."""
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


class Elements(HTMLParser):
    """Each element of an HTML document: its tag, its attributes and its visible text, entities decoded."""

    def __init__(self, document: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None], str]] = []
        self.open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            self.found.append((tag, dict(attrs), ""))
        else:
            self.open.append((tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, attrs, text = self.open.pop()
            self.found.append((name, attrs, "".join(text)))
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        for _, _, text in self.open:
            text.append(data)

    def texts(self, tag: str) -> list[str]:
        return [text for name, _, text in self.found if name == tag]


def markdown_as_html(markdown: str) -> str:
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True
    return parser.render(markdown)


def assert_nothing_runs(elements: Elements, tags: set[str]) -> None:
    """Only the report's own elements, no event handler, and links only to web pages and mail addresses."""
    assert {tag for tag, _, _ in elements.found} - tags == set()
    assert not [(tag, name) for tag, attrs, _ in elements.found for name in attrs if name.lower().startswith("on")]
    hrefs = [attrs["href"] for tag, attrs, _ in elements.found if "href" in attrs]
    assert [href for href in hrefs if urlsplit(href.strip()).scheme.lower() not in SAFE_SCHEMES] == []


@pytest.fixture
def markdown_report() -> Elements:
    listed = hostile_entries()
    return Elements(markdown_as_html(render("markdown", HOSTILE_TEXTS[0], listed, [], GENERATED_AT)))


def test_hostile_markdown_renders_no_script_no_handler_and_no_unsafe_link(markdown_report):
    assert_nothing_runs(markdown_report, MARKDOWN_TAGS)


def test_hostile_markdown_renders_as_the_literal_text_one_entry_per_item(markdown_report):
    listed = hostile_entries()
    assert markdown_report.texts("h1") == [HOSTILE_TEXTS[0]]
    assert markdown_report.texts("h2") == [one_line(entry.section) for entry in listed]
    items = markdown_report.texts("li")
    assert len(items) == len(listed)
    for entry, item in zip(listed, items, strict=True):
        shown = one_line(entry.title) + ("" if entry.link in LINKS else f" ({one_line(entry.link)}, not a web link)")
        said = f"{one_line(entry.summary)} Checked 29 November 2026."
        assert item == f"{shown} (archived copy; cited as {one_line(entry.cited_as)}): {said}"


def test_only_web_and_mail_addresses_become_markdown_links_and_they_keep_their_target(markdown_report):
    links = [(attrs["href"], text) for tag, attrs, text in markdown_report.found if tag == "a"]
    linked = [entry for entry in hostile_entries() if entry.link in LINKS]
    assert len(links) == len(linked)
    for (href, text), entry in zip(links, linked, strict=True):
        assert text == one_line(entry.title)
        assert unquote(href) == unquote(entry.link)


def test_hostile_html_report_escapes_every_text_and_links_only_web_and_mail_addresses():
    listed = hostile_entries()
    elements = Elements(render("html", HOSTILE_TEXTS[0], listed, [], GENERATED_AT))
    assert_nothing_runs(elements, HTML_REPORT_TAGS)
    assert elements.texts("title") == elements.texts("h1") == [HOSTILE_TEXTS[0]]
    assert elements.texts("h2")[1:] == [entry.section for entry in listed]
    assert [text for tag, attrs, text in elements.found if attrs.get("class") == "reason"] == [
        entry.summary for entry in listed
    ]
    assert [text for tag, attrs, text in elements.found if attrs.get("class") == "cited"] == [
        f"cited as {entry.cited_as}" for entry in listed
    ]
    assert [(attrs["href"], text) for tag, attrs, text in elements.found if tag == "a"] == [
        (entry.link, entry.link) for entry in listed if entry.link in LINKS
    ]
    assert [text for tag, attrs, text in elements.found if attrs.get("class") == "not-a-link"] == [
        entry.link for entry in listed if entry.link in NOT_LINKS
    ]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_cells_a_spreadsheet_would_run_as_a_formula_start_with_an_apostrophe(start):
    formula = f"{start}HYPERLINK(\"http://evil.example/\",\"click\")"
    entry = replace(hostile_entries()[0], title=formula, summary=formula, cited_as="plain text")
    [row] = csv.DictReader(io.StringIO(render("csv", "title", [entry], [], GENERATED_AT)))
    assert row["title"] == row["summary"] == "'" + formula
    assert row["cited_as"] == "plain text"


def test_csv_keeps_other_hostile_text_as_it_is():
    listed = [entry for entry in hostile_entries() if not entry.title.startswith(FORMULA_STARTS)]
    rows = list(csv.DictReader(io.StringIO(render("csv", "title", listed, [], GENERATED_AT))))
    assert [{name: row[name] for name in ("title", "summary", "link")} for row in rows] == [
        {"title": entry.title, "summary": entry.summary, "link": entry.link} for entry in listed
    ]


def test_json_keeps_every_hostile_value_exactly():
    listed = hostile_entries()
    document = json.loads(render("json", HOSTILE_TEXTS[0], listed, [], GENERATED_AT))
    assert document["title"] == HOSTILE_TEXTS[0]
    assert document["resources"] == [asdict(entry) for entry in listed]
