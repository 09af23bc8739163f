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
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(site + "-/dashboards/link-health", wait_until="networkidle", timeout=DEADLINE_MS)
    labels = page.locator("#chart-archive-coverage svg .mark-text.role-mark text")
    labels.first.wait_for(timeout=DEADLINE_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#card-archive-coverage").screenshot(path=str(ARTIFACTS / f"dashboard-coverage-{width}.png"))
    assert sorted(labels.all_text_contents()) == sorted(
        f"{links} link{'s' if links > 1 else ''}, {percent}%" for links, percent in EXPECTED.values()
    )
    chart = page.locator("#chart-archive-coverage svg.marks").bounding_box()
    for label in labels.all():  # every number is drawn inside the chart, none cut at its edge
        box = label.bounding_box()
        assert chart["x"] <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    page.close()


def test_beside_the_chart_its_numbers_are_a_table_one_click_away(site, browser):
    page = browser.new_page(viewport={"width": DESKTOP, "height": 900})
    page.goto(site + "-/dashboards/link-health", wait_until="networkidle", timeout=DEADLINE_MS)
    page.locator("#card-archive-coverage-table a").click(timeout=DEADLINE_MS)
    page.wait_for_url("**/linkkeeper/archive_coverage", timeout=DEADLINE_MS)
    cells = page.locator("table.rows-and-columns tbody tr").all()
    shown = {}
    for row in cells:
        coverage, links, percent = (cell.inner_text().strip() for cell in row.locator("td").all())
        shown[coverage] = (int(links), int(percent))
    assert shown == EXPECTED
    page.close()
    with urllib.request.urlopen(site + "linkkeeper/archive_coverage.json?_shape=objects", timeout=10) as answer:
        rows = json.load(answer)["rows"]
    assert {row["coverage"]: (row["links"], row["percent"]) for row in rows} == EXPECTED
