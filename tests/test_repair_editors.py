"""The Markdown, text and HTML editors of `repair`: each link is changed where it is written, in its own
shape, and every other byte stays (line endings, encodings, code, images, titles, other attributes)."""

from __future__ import annotations

import pytest

from linkkeeper.importer.found import key
from linkkeeper.repair.changes import ARCHIVED, LOST, MOVED, Fix
from linkkeeper.repair.html import repair_html
from linkkeeper.repair.markdown import repair_markdown, repair_text
from linkkeeper.repair.plan import Plan

GONE = "http://gone.example.org/toolkit(2019)"
COPY = "https://web.archive.org/web/20190801120000/http://gone.example.org/toolkit(2019)"
OLD = "http://old.example.org/centre?a=1&b=2"
NEW = "https://new.example.org/centre"
DEAD = "http://dead.example.org/"


def plan() -> Plan:
    fixes = [
        Fix(ARCHIVED, GONE, COPY, "the page is gone (HTTP 410); archived copy of 1 August 2019",
            "2019-08-01T12:00:00+00:00"),
        Fix(MOVED, OLD, NEW, f"the page moved permanently to {NEW}"),
        Fix(LOST, DEAD, None, "the page is gone (host name not found); no archived copy found"),
    ]
    identified = [("UNPOG Digital Government", "http://www.unpog.org/", None)]
    return Plan({key(fix.original): fix for fix in fixes}, identified)


def markdown(text: str) -> str:
    return repair_markdown(text.encode(), plan()).data.decode()


@pytest.mark.parametrize(
    ("written", "repaired"),
    [
        (f"[the toolkit]({GONE})", f"[the toolkit]({COPY})"),
        (f"[the toolkit](<{GONE}> 'its title')", f"[the toolkit](<{COPY}> 'its title')"),
        (f"[centre]({OLD} \"Centre\")", f"[centre]({NEW} \"Centre\")"),
        (f"<{OLD}>", f"<{NEW}>"),
        ("<http://gone.example.org/toolkit(2019)>", f"[http://gone.example.org/toolkit(2019)]({COPY})"),
        (f"See {OLD} today.", f"See {NEW} today."),
        (f"[ref]:\n   {OLD}\n", f"[ref]:\n   {NEW}\n"),
        ("[[UNPOG Digital Government](#)]", "[[UNPOG Digital Government](http://www.unpog.org/)]"),
        (f"<a href='{OLD.replace('&', '&amp;')}' class=x>centre</a>", f"<a href='{NEW}' class=x>centre</a>"),
    ],
    ids=["inline", "angle-brackets-and-title", "title-kept", "autolink-moved", "autolink-archived", "bare",
         "reference-over-two-lines", "lost-hash-filled", "raw-html-anchor"],
)
def test_a_markdown_link_is_repaired_in_its_own_shape(written, repaired):
    assert markdown(f"Before.\n\n{written}\n\nAfter.\n") == f"Before.\n\n{repaired}\n\nAfter.\n"


@pytest.mark.parametrize(
    "text",
    [
        f"```\n[the toolkit]({OLD})\n```\n",
        f"Inline code: `<{OLD}>` stays.\n",
        f"Inline code: `<a href=\"{OLD}\">x</a>` stays.\n",
        f"An image: ![the centre]({OLD})\n",
        f"A dead link with no copy: [gone]({DEAD})\n",
        "[unknown words](#)\n",
        "A link elsewhere: [x](http://elsewhere.example.org/)\n",
    ],
    ids=["fenced-code", "code-span", "html-in-code-span", "image", "lost-left-as-is", "unnamed-hash-link", "unlisted"],
)
def test_what_must_not_change_in_markdown_does_not(text):
    assert markdown(text) == text


def test_a_dead_link_with_no_copy_is_in_the_change_log_with_no_new_address():
    [change] = repair_markdown(f"[gone]({DEAD})\n".encode(), plan()).changes
    assert (change.where, change.old, change.new, change.fix.kind) == ("line 1", DEAD, None, LOST)


def test_line_endings_and_bytes_that_are_not_utf8_stay_as_they_were():
    data = f"Caf\xe9 report\r\n\r\n[centre]({OLD})\r\n".encode("cp1252")
    repaired = repair_markdown(data, plan()).data
    assert repaired == f"Caf\xe9 report\r\n\r\n[centre]({NEW})\r\n".encode("cp1252")


def test_a_bare_address_in_plain_text_becomes_the_copy_address_which_still_shows_it():
    text = "Toolkit: http://gone.example.org/toolkit(2019).\n"
    assert repair_text(text.encode(), plan()).data.decode() == f"Toolkit: {COPY}.\n"


def test_a_bare_address_in_markdown_stays_visible_as_the_text_of_a_link_to_the_copy():
    assert markdown("Toolkit: http://gone.example.org/toolkit(2019).\n") == (
        f"Toolkit: [http://gone.example.org/toolkit(2019)]({COPY}).\n"
    )


def html(markup: str, page_url: str | None = None) -> str:
    return repair_html(markup.encode(), plan(), page_url).data.decode()


def test_an_html_link_keeps_its_other_attributes_quoting_and_case():
    before = f"<P>See <A Class=x HREF='{OLD.replace('&', '&amp;')}' target=_blank>the centre</A></P>"
    assert html(before) == f"<P>See <A Class=x HREF='{NEW}' target=_blank>the centre</A></P>"


def test_an_html_link_to_an_archived_copy_gets_robust_links_attributes_escaped():
    after = html(f'<a href="{GONE}" >toolkit</a>')
    assert after == (
        f'<a href="{COPY}"  data-originalurl="{GONE}" data-versionurl="{COPY}"'
        ' data-versiondate="2019-08-01">toolkit</a>'
    )


def test_robust_links_attributes_already_there_are_replaced_not_repeated():
    after = html(f'<a href="{GONE}" data-versiondate="2001-01-01">toolkit</a>')
    assert after.count("data-versiondate") == 1 and 'data-versiondate="2019-08-01"' in after


def test_a_relative_html_link_is_resolved_against_the_first_base():
    markup = (
        '<base href="http://old.example.org/x/"><base href="http://other.example/">'
        '<a href="../centre?a=1&amp;b=2">c</a>'
    )
    assert f'<a href="{NEW}">c</a>' in html(markup)


def test_a_relative_html_link_with_no_base_is_resolved_against_the_page_address():
    assert html('<a href="/centre?a=1&amp;b=2">c</a>', "http://old.example.org/report.html") == f'<a href="{NEW}">c</a>'


def test_an_html_anchor_with_no_href_is_filled_in_when_a_person_identified_it():
    assert html("<a>UNPOG Digital Government</a>") == '<a href="http://www.unpog.org/">UNPOG Digital Government</a>'


def test_html_outside_links_stays_byte_for_byte():
    markup = (
        "<!-- <a href='http://old.example.org/centre?a=1&b=2'> -->\n<script>var u = '<a href=\"x\">';</script>\n"
        f"<pre>{OLD}</pre>\n<p title='{OLD}'>text &amp; more</p>\n"
    )
    assert html(markup) == markup
