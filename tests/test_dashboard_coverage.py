"""The dashboard's archive-coverage chart read without hovering: each slice with its count and share, and the
same numbers as a table one click away; at a desktop's width and a phone's.

The fixed history (fixed_history.py) has five links: one with an archived copy, one lost, three never archived.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from served_history import served_history

from browser import ARTIFACTS

PHONE, DESKTOP = 390, 1400
EXPECTED = {"archived copy": (1, 20), "lost: no archived copy": (1, 20), "not archived yet": (3, 60)}
DEADLINE_MS = 15000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served_history(tmp_path_factory.mktemp("coverage")) as url:
        yield url


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_each_slice_of_the_coverage_chart_shows_its_count_and_share(site, browser, width):
    labels = "#chart-archive-coverage svg .mark-text.role-mark text"
    with browser.visit(site + "-/dashboards/link-health", wait_for=labels, width=width) as visit:
        page = visit.page
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("#card-archive-coverage").screenshot(path=str(ARTIFACTS / f"dashboard-coverage-{width}.png"))
        drawn = page.locator(labels)
        assert sorted(drawn.all_text_contents()) == sorted(
            f"{links} link{'s' if links > 1 else ''}, {percent}%" for links, percent in EXPECTED.values()
        )
        chart = page.locator("#chart-archive-coverage svg.marks").bounding_box()
        for label in drawn.all():  # every number is drawn inside the chart, none cut at its edge
            box = label.bounding_box()
            assert chart["x"] <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert visit.console_errors == []


def test_beside_the_chart_its_numbers_are_a_table_one_click_away(site, browser):
    link = "#card-archive-coverage-table a"
    with browser.visit(site + "-/dashboards/link-health", wait_for=link, width=DESKTOP) as visit:
        visit.page.locator(link).click(timeout=DEADLINE_MS)
        visit.page.wait_for_url("**/linkkeeper/archive_coverage", timeout=DEADLINE_MS)
        shown = {}
        for row in visit.page.locator("table.rows-and-columns tbody tr").all():
            coverage, links, percent = (cell.inner_text().strip() for cell in row.locator("td").all())
            shown[coverage] = (int(links), int(percent))
    assert shown == EXPECTED
    with urllib.request.urlopen(site + "linkkeeper/archive_coverage.json?_shape=objects", timeout=10) as answer:
        rows = json.load(answer)["rows"]
    assert {row["coverage"]: (row["links"], row["percent"]) for row in rows} == EXPECTED
