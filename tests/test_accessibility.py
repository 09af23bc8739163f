"""WCAG 2.2 AA on every page the dashboard serves and on the HTML report, as axe-core finds it in Chromium
(tests/accessibility.py), plus what axe cannot judge: the page's language, the list's time zone named on every
page, charts named for screen readers, the strip of last checks as text, and chart text legible on a phone.

The dashboard serves the fixed history (fixed_history.py) in Pacific/Auckland time; the report is written by
`linkkeeper report --format html` over the same history, its list set to Pacific/Fiji.
"""

from __future__ import annotations

from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from accessibility import violations
from click.testing import CliRunner
from served_history import ZONE, served_history

from cli import cli
from dashboard.queries import CANNED
from fixed_history import write_history
from linkkeeper.clock import now_iso
from linkkeeper.output.reports import zone_words

GONE = quote("http://gone.example.org/knowledge-base", safe="")
CHARTS = "-/dashboards/link-health"
DRAWN = "#chart-archive-coverage svg .mark-arc path"  # the last chart drawn: every chart is in
PAGES = {
    "landing": "",
    "link": f"-/link?url={GONE}",
    "all links": "linkkeeper/link_health",
    "all links, searched and grouped": "linkkeeper/link_health?_search=knowledge&state=dead",
    "database": "linkkeeper",
    "a table": "linkkeeper/resources",
    "a row": "linkkeeper/resources/1",
    "the list of dashboards": "-/dashboards",
    "one chart": "-/dashboards/link-health/states-over-time",
    "not found": f"-/link?url={quote('http://nowhere.example/', safe='')}",
    "charts": CHARTS,
    **{name: f"linkkeeper/{name}" for name in CANNED if name != "url_history"},
    "url_history": f"linkkeeper/url_history?url={GONE}",
    "url_history, no URL yet": "linkkeeper/url_history",
}
ERROR_PAGES = {"not found"}
PHONE, DESKTOP = 390, 1400
LEGIBLE_PX = 11  # the smallest text drawn, in CSS pixels: its font size times the SVG's scale on the page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served_history(tmp_path_factory.mktemp("accessible")) as url:
        yield url


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("accessible-report")
    config, db = write_history(folder)
    db.close()
    config.path.write_text(config.path.read_text() + "settings:\n  timezone: Pacific/Fiji\n")
    page = folder / "report.html"
    result = CliRunner().invoke(cli, ["report", "--format", "html", "--output", str(page), "--config",
                                      str(config.path), "--db", str(folder / "linkkeeper.db")])
    assert result.exit_code in (0, 1), result.output
    return page


def _visit(browser, site: str, name: str, width: int = DESKTOP):
    return browser.visit(site + PAGES[name], wait_for=DRAWN if name == "charts" else None, width=width, height=844)


@pytest.mark.parametrize("name", PAGES)
def test_every_dashboard_page_meets_wcag_aa_as_axe_checks_it(site, browser, name):
    with _visit(browser, site, name) as visit:
        assert violations(visit.page) == []
        assert visit.console_errors == [] or name in ERROR_PAGES  # Chromium logs the 404 it was answered


@pytest.mark.parametrize("name", PAGES)
def test_every_dashboard_page_says_its_language_and_names_the_time_zone(site, browser, name):
    with _visit(browser, site, name, width=PHONE) as visit:
        assert visit.page.get_attribute("html", "lang") == "en"
        assert zone_words(ZoneInfo(ZONE), now_iso()) in visit.page.inner_text("footer")  # "... (UTC+13:00)."


def test_the_html_report_meets_wcag_aa_and_names_its_time_zone(report_page, browser):
    for width in (PHONE, DESKTOP):
        with browser.visit(report_page.as_uri(), width=width, height=844) as visit:
            assert violations(visit.page) == []
            assert visit.page.get_attribute("html", "lang") == "en"
            assert "Pacific/Fiji" in visit.page.inner_text("body")


def test_each_chart_is_named_for_screen_readers(site, browser):
    with _visit(browser, site, "charts") as visit:
        for chart in ("states-over-time", "response-times", "archive-coverage"):
            name = visit.page.get_attribute(f"#chart-{chart} [role=graphics-document]", "aria-label")
            assert name and len(name) > 40, (chart, name)
        bars = visit.page.locator("#chart-states-over-time path[aria-label]").evaluate_all(
            "paths => paths.map(p => p.getAttribute('aria-label'))"
        )
    assert any("State: at risk" in bar for bar in bars) and not [bar for bar in bars if "at_risk" in bar], bars


def test_chart_axes_name_the_lists_time_zone_and_each_run_apart(site, browser):
    with _visit(browser, site, "charts") as visit:
        x_axis = "svg .role-axis[aria-label^='X-axis'] .role-axis-label text"
        labels = visit.page.locator(f"#chart-states-over-time {x_axis} tspan").all_text_contents()
        titles = visit.page.locator("svg .role-axis-title text").all_text_contents()
        times = visit.page.locator(f"#chart-response-times {x_axis} tspan").all_text_contents()
    assert titles.count(f"Run and its start ({ZONE})") == 2, titles
    # The history's runs started at 06:00 UTC: 19:00 in Auckland (NZDT), the day UTC also names.
    assert labels == ["run 1", "28 Nov 19:00", "run 2", "29 Nov 19:00"]  # each run on two lines
    assert times == labels


def test_the_strip_of_last_checks_says_each_outcome_in_words(site, browser):
    with _visit(browser, site, "link") as visit:
        checks = visit.page.locator("ol.strip li")
        assert checks.count() == 2
        assert checks.first.inner_text() == "2026-11-28 19:00 NZDT: failure (http)"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize(("name", "texts"), [("link", "svg.chart text"), ("charts", "svg.marks text")])
def test_chart_text_stays_legible_on_a_phone(site, browser, name, texts, width):
    with _visit(browser, site, name, width=width) as visit:
        sizes = visit.page.locator(texts).evaluate_all(
            """texts => texts.filter(t => t.textContent.trim())
                .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(
                    t.getScreenCTM().a, t.getScreenCTM().b)])"""  # the scale, whatever the text's rotation
        )
    assert sizes and min(height for _, height in sizes) >= LEGIBLE_PX, sizes


def test_filters_and_search_boxes_have_labels(site, browser):
    for name in ("all links", "a table", "url_history, no URL yet"):
        with _visit(browser, site, name, width=PHONE) as visit:  # a phone's sort box too
            unlabelled = visit.page.evaluate(
                """() => [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select')]
                    .filter(e => e.offsetParent !== null)
                    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                    .map(e => e.outerHTML)"""
            )
            assert unlabelled == [], name


@pytest.mark.parametrize("name", ["landing", "all links", "uptime"])
def test_the_keyboards_focus_is_drawn_around_what_it_is_on(site, browser, name):
    with _visit(browser, site, name) as visit:
        for _ in range(3):
            visit.page.keyboard.press("Tab")
            ring = visit.page.evaluate(
                """() => { const on = document.activeElement, style = getComputedStyle(on);
                           return [on.tagName, style.outlineStyle, parseFloat(style.outlineWidth)]; }"""
            )
            assert ring[0] != "BODY" and ring[1] != "none" and ring[2] >= 2, ring
