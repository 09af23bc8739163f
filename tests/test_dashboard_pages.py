"""The dashboard's pages as a person reads them, over the fixed history (fixed_history.py) served in
Pacific/Auckland time: the list of all links laid out for people, canned queries without their SQL, columns
headed in words, and the history of one URL reached from the list, never an empty form reading "0 results"."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from served_history import served_history

from dashboard.queries import CANNED

GONE = "http://gone.example.org/knowledge-base"
HISTORY_PAGE = re.compile(r"/linkkeeper/url_history\?url=http")
SQL_TOOL_WORDS = ("Custom SQL query", "Edit SQL", "Query parameters", "0 results", "select ")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served_history(tmp_path_factory.mktemp("pages")) as url:
        yield url


def test_all_links_reads_title_first_then_state_why_since_copy_and_section(site, browser):
    with browser.visit(site + "linkkeeper/link_health?_search=knowledge") as visit:
        headers = visit.page.locator("table.links thead th").all_inner_texts()
        cells = visit.page.locator("table.links tbody tr").first.locator("td").all_inner_texts()
        assert visit.page.title() == "All links: 1 link matching “knowledge”"
    assert [header.strip(" ▼▲") for header in headers] == ["Link", "State", "Why", "Since", "Archived copy", "Section"]
    link, state, why, since, copy, section = cells
    assert link.startswith(f"A knowledge base that died\n{GONE}")
    assert (state, copy, section) == ("dead", "archived 2020-01-01", "Presentations and tools")
    assert why.startswith("Gone since 28 November 2026: ")  # the reader's voice: its first failure, in Auckland
    assert since.endswith("ago (2026-11-29 19:00 NZDT)")  # the exact time is written out, not only on hover


def test_all_links_groups_by_state_and_section_in_words(site, browser):
    with browser.visit(site + "linkkeeper/link_health") as visit:
        facets = visit.page.locator(".facet-info-name").all_inner_texts()
        states = visit.page.locator(".facet-info[data-column=state] li a").all_inner_texts()
        body = visit.page.inner_text("body")
    assert [facet.strip() for facet in facets] == ["Kind", "State", "Section"]
    assert "at risk" in states and "at_risk" not in states
    assert "archive_checked_at" not in body and "Suggested facets" not in body


def test_the_history_of_a_url_is_one_click_from_all_links_with_its_url_filled(site, browser):
    with browser.visit(site + "linkkeeper/link_health?_search=knowledge") as visit:
        visit.page.locator("table.links a.history").click()
        visit.page.wait_for_url(HISTORY_PAGE, timeout=10000)
        assert visit.page.input_value("#ask-url") == GONE
        assert visit.page.locator("table.rows-and-columns tbody tr").count() == 3  # two checks and a look-up


def test_the_history_of_a_url_is_one_click_from_its_link_page(site, browser):
    with browser.visit(f"{site}-/link?url={quote(GONE, safe='')}") as visit:
        visit.page.get_by_text("Its whole history").click()
        visit.page.wait_for_url(HISTORY_PAGE, timeout=10000)
        assert visit.page.locator("table.rows-and-columns tbody tr").count() == 3


def test_the_history_of_a_url_without_one_says_what_to_enter(site, browser):
    with browser.visit(site + "linkkeeper/url_history") as visit:
        body = visit.page.inner_text("body")
        assert visit.page.locator("label[for=ask-url]").inner_text() == "The link's address (URL)"
    assert "Paste a link's address above, or pick a link from all links" in body
    assert not [words for words in SQL_TOOL_WORDS if words in body]


@pytest.mark.parametrize("name", [name for name in CANNED if name != "url_history"])
def test_canned_queries_show_no_sql_tool_and_head_columns_in_words(site, browser, name):
    with browser.visit(site + f"linkkeeper/{name}") as visit:
        body = visit.page.inner_text("body")
        headers = visit.page.locator("table.rows-and-columns thead th").all_inner_texts()
    assert not [words for words in SQL_TOOL_WORDS if words in body], name
    assert headers and not [header for header in headers if "_" in header], headers


def test_percentages_say_they_are_percentages(site, browser):
    with browser.visit(site + "linkkeeper/uptime") as visit:
        headers = visit.page.locator("table.rows-and-columns thead th").all_inner_texts()
    assert headers == ["Link", "State", "Uptime (30 days, %)", "Uptime (90 days, %)", "Checks (90 days)"]


def test_the_landing_page_names_links_by_title_and_gives_their_section(site, browser):
    with browser.visit(site) as visit:
        headers = visit.page.locator("#last_run_changes thead th").all_inner_texts()
        first = visit.page.locator("#last_run_changes tbody tr").first.locator("td").first.inner_text()
    assert headers[0] == "Link" and "Section" in headers
    assert first.startswith(f"A knowledge base that died\n{GONE}")


def test_the_link_page_says_the_readers_sentence_then_the_evidence(site, browser):
    with browser.visit(f"{site}-/link?url={quote(GONE, safe='')}") as visit:
        facts = visit.page.locator(".facts").inner_text()
    assert "State\ndead Gone since 28 November 2026: " in facts and "Evidence\nhttp (dead)" in facts


def test_the_landing_page_says_why_in_the_readers_voice(site, browser):
    with browser.visit(site) as visit:
        headers = visit.page.locator("#dead_links thead th").all_inner_texts()
        text = visit.page.locator("#dead_links tbody").inner_text()
    assert "Why" in headers and "Gone since 28 November 2026: " in text and "http (dead)" not in text


@pytest.mark.parametrize(("width", "most"), [(390, 260), (1400, 80)])
def test_all_links_takes_little_height_per_link(site, browser, width, most):
    """The raw view took about 355 px a link on a desktop and 995 on a phone (issue 25: pages of 7,100 and 19,900 px
    for 20 links); laid out for people, about 67 and 216."""
    with browser.visit(site + "linkkeeper/link_health", width=width) as visit:
        rows = visit.page.locator("table.links tbody tr")
        height = visit.page.locator("table.links tbody").bounding_box()["height"]
        assert height / rows.count() <= most, height / rows.count()
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= width
