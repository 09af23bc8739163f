"""The page of one link in the dashboard, over the fixed history served in Pacific/Auckland time."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from contrast import AA, ratio
from served_history import served_history

from linkkeeper.health.vocabulary import STATES

GONE = "http://gone.example.org/knowledge-base"
COPY = "https://web.archive.org/web/20200101000000/http://gone.example.org/knowledge-base"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served_history(tmp_path_factory.mktemp("link-page")) as url:
        yield url


@pytest.fixture(scope="module")
def link(site, browser):
    with browser.visit(f"{site}-/link?url={quote(GONE, safe='')}") as visit:
        visit.screenshot("dashboard-link-page")
        yield visit


def test_every_listed_url_on_the_landing_page_opens_its_link_page(site, browser):
    with browser.visit(site) as visit:
        links = visit.page.locator(f'#dead_links a[href="/-/link?url={quote(GONE, safe="")}"]')
        assert links.count() == 1
        links.click()
        visit.page.wait_for_url("**/-/link?url=*", timeout=10000)
        assert visit.page.locator("h1").inner_text() == "A knowledge base that died"
        assert visit.console_errors == []


def test_the_link_page_names_the_link_and_offers_the_page_itself_as_outside(link):
    external = link.page.locator(f'a.external[href="{GONE}"]')
    assert external.count() == 1 and external.get_attribute("aria-label") == "open the page itself"
    assert link.page.title() == "A knowledge base that died: dead"


def test_the_link_page_says_state_since_uptime_cited_as_and_note(link):
    facts = link.page.locator(".facts").inner_text()
    assert "dead" in facts and "(2026-11-29 19:00 NZDT)" in facts
    first_failure = facts.split("First failure\n", 1)[1].split("\n", 1)[0]
    assert first_failure.endswith(" ago (2026-11-28 19:00 NZDT), 2 failed runs in a row")
    assert "0.0 % over 30 days" in facts and "over 90 days" in facts
    assert "identified from the title" in facts and "Cited as\n#" in facts


def test_the_archived_copy_is_named_by_its_date_and_links_to_the_copy(link):
    copies = link.page.locator(f'a.copy[href="{COPY}"]')
    assert copies.count() == 2  # the resource's copy, and the look-up that found it
    assert copies.first.inner_text() == "archived 2020-01-01"


def test_the_strip_shows_each_check_in_its_outcomes_colour(link):
    strip = link.page.locator(".strip li")
    assert strip.count() == 2
    colour = strip.first.evaluate("element => getComputedStyle(element).backgroundColor")
    assert ratio(colour, STATES["dead"].colour) == 1.0  # its first check failed
    assert "2026-11-28 19:00 NZDT" in strip.first.get_attribute("title")


def test_the_response_time_chart_is_drawn_with_its_scale_and_dates(link):
    chart = link.page.locator("svg.chart")
    assert chart.locator("polyline").count() == 1
    labels = chart.locator("text").all_text_contents()
    assert "120 ms" in labels and "2026-11-28" in labels and "2026-11-29" in labels


def test_times_read_relative_with_the_exact_local_time_on_hover(link):
    first = link.page.locator("time").first
    assert first.get_attribute("title").endswith("NZDT")
    assert "ago" in first.inner_text()


def test_badges_on_the_link_page_are_legible(link):
    for badge in link.page.locator(".state").all():
        colours = badge.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert ratio(*colours) >= AA, colours


def test_an_unknown_link_is_not_found(site, browser):
    with browser.visit(f"{site}-/link?url={quote('http://nowhere.example/', safe='')}") as visit:
        assert "not a link this database has seen" in visit.page.inner_text("body")
