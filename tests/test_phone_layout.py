"""The dashboard at a phone's width (390 px) and a desktop's (1400 px): nothing scrolls sideways, table
cells carry their column's name, badges reach WCAG AA contrast, pages are titled in words."""

from __future__ import annotations

import pytest
from contrast import AA, ratio
from served_history import served_history

from dashboard.queries import CANNED

PHONE, DESKTOP = 390, 1400
PAGES = {
    "landing": "",
    "link": "-/link?url=http%3A%2F%2Fgone.example.org%2Fknowledge-base",
    "link_health": "linkkeeper/link_health",
    "database": "linkkeeper",
    **{name: f"linkkeeper/{name}" for name in CANNED if name != "url_history"},
    "url_history": "linkkeeper/url_history?url=http%3A%2F%2Fgone.example.org%2Fknowledge-base",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served_history(tmp_path_factory.mktemp("phone")) as url:
        yield url


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_sideways(site, browser, name, width):
    with browser.visit(site + PAGES[name], width=width, height=844) as visit:
        visit.screenshot(f"dashboard-{name}-{width}")
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= width
        assert visit.console_errors == []


@pytest.mark.parametrize(
    ("name", "cells", "label"),
    [("landing", "#dead_links td", "Archived copy"), ("link_health", "table.links td", "Archived copy"),
     ("uptime", "table.rows-and-columns td", "Uptime (30 days, %)")],
)
def test_on_a_phone_every_card_value_has_its_label(site, browser, name, cells, label):
    with browser.visit(site + PAGES[name], width=PHONE, height=844) as visit:
        found = visit.page.locator(cells)
        assert found.count() > 0
        for cell in found.all():
            shown = cell.evaluate("e => getComputedStyle(e, '::before').content")
            assert shown.strip('"') == cell.get_attribute("data-label") != "", shown
        assert label in [cell.get_attribute("data-label") for cell in found.all()]


@pytest.mark.parametrize("name", ["landing", "link", "link_health", "last_run_changes"])
def test_every_badge_reaches_wcag_aa(site, browser, name):
    with browser.visit(site + PAGES[name], width=DESKTOP, height=844) as visit:
        badges = visit.page.locator(".state")
        assert badges.count() > 0
        for badge in badges.all():
            colours = badge.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
            assert ratio(*colours) >= AA, (badge.inner_text(), colours)


@pytest.mark.parametrize("name", [name for name in CANNED if name != "url_history"])
def test_canned_queries_are_titled_by_their_question_and_hide_their_sql(site, browser, name):
    with browser.visit(site + PAGES[name], width=DESKTOP, height=844) as visit:
        assert visit.page.title() == CANNED[name][0]
        assert visit.page.locator("textarea#sql-editor:visible").count() == 0


def test_the_links_can_be_searched_by_words_of_their_title(site, browser):
    with browser.visit(site + "linkkeeper/link_health?_search=knowledge", width=DESKTOP, height=844) as visit:
        assert visit.page.locator("input[name=_search]:visible").count() == 1
        assert visit.page.locator("table.rows-and-columns tbody tr").count() == 1
        assert "gone.example.org" in visit.page.locator("table.rows-and-columns tbody").inner_text()


def test_the_database_page_leaves_out_the_migrations_log(site, browser):
    with browser.visit(site + PAGES["database"], width=DESKTOP, height=844) as visit:
        assert "_sqlite_migrations" not in visit.page.inner_text("body")
        assert "link_health" in visit.page.inner_text("body")
