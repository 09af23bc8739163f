"""The dashboard in a real browser, over a database made by real check-links runs against local hosts."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import yaml

from browser import marks_filled
from checking import check_here
from linkkeeper.health.vocabulary import STATES
from local_dashboard import dashboard
from local_wayback import LocalWayback
from local_web import LocalWeb, redirect, respond


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two runs over: a healthy page, a dead page with an archived copy, a lost one, a moved one."""
    folder = tmp_path_factory.mktemp("dashboard")
    with LocalWeb(first=40) as web, LocalWayback() as wayback:
        web.a.route("/canary", lambda request: respond(request, 204))
        urls = {
            "healthy": web.a.route("/toolkit", title="Toolkit"),
            "dead": web.a.route("/programme", status=404),
            "lost": web.a.route("/knowledge-base", status=410),
            "moved": web.a.route("/centre", redirect(301, web.b.route("/new-centre", title="Centre"))),
        }
        wayback.add_capture(urls["dead"], "20200101000000")
        config = folder / "resources.yml"
        config.write_text(
            yaml.safe_dump(
                {
                    "title": "Test resources",
                    "settings": {
                        "timeout": 3,
                        "retries": 0,
                        "canaries": [web.a.url + "/canary"],
                        "health": {"dead_after_failures": 2, "dead_after_days": 0},
                        "archive": {"saves_per_minute": 600, "cdx_per_minute": 600, "poll_interval": 0.05},
                    },
                    "resources": [
                        {"url": url, "title": name.title(), "kind": "toolkit", "section": "Tools"}
                        for name, url in urls.items()
                    ],
                }
            )
        )
        environment = {"LINKKEEPER_WAYBACK_URL": wayback.base_url}
        for _ in range(2):
            check_here(config, env=environment)
        with dashboard(config, folder) as served:
            yield {"url": served.url, "urls": urls, "wayback": wayback.base_url}


def rows(site, query: str, **params) -> list[dict]:
    arguments = "&".join(f"{name}={urllib.request.quote(value)}" for name, value in params.items())
    with urllib.request.urlopen(f"{site['url']}linkkeeper/{query}.json?_shape=objects&{arguments}") as answer:
        return json.load(answer)["rows"]


def test_it_listens_on_loopback_only_and_says_where(site):
    assert site["url"].startswith("http://127.0.0.1:")


def test_the_landing_page_lists_the_dead_link_with_its_archived_copy_and_the_lost_one(site, browser):
    with browser.visit(site["url"]) as visit:
        visit.screenshot("dashboard-landing")
        dead = visit.page.locator("#dead_links")
        archived = f"{site['wayback']}/web/20200101000000/{site['urls']['dead']}"
        assert dead.locator(f'a[href="{archived}"]').count() == 1
        assert "lost: no archived copy" in dead.inner_text()
        assert site["urls"]["lost"] in dead.inner_text()
        assert visit.console_errors == []


def test_the_landing_page_lists_links_at_risk_with_their_reason(site, browser):
    with browser.visit(site["url"]) as visit:
        text = visit.page.locator("#at_risk_links").inner_text()
        assert site["urls"]["moved"] in text and "The page has moved to" in text  # in the reader's voice


def test_the_landing_page_says_what_changed_in_the_last_run(site, browser):
    with browser.visit(site["url"]) as visit:
        text = visit.page.locator("#last_run_changes").inner_text()
        assert site["urls"]["dead"] in text and "dead" in text
        assert site["urls"]["healthy"] not in text


def test_dead_links_query(site):
    found = {row["url"]: row["archived_copy"] for row in rows(site, "dead_links")}
    assert found == {
        site["urls"]["dead"]: f"{site['wayback']}/web/20200101000000/{site['urls']['dead']}",
        site["urls"]["lost"]: "lost: no archived copy",
    }


def test_a_dead_link_says_when_it_first_failed_as_well_as_when_it_was_declared_dead(site):
    checks = rows(site, "url_history", url=site["urls"]["dead"])
    dead = {row["url"]: row for row in rows(site, "dead_links")}[site["urls"]["dead"]]
    checked = sorted(row["at"] for row in checks if row["event"] == "check")
    assert (dead["first_failed"], dead["dead_since"]) == (checked[0], checked[-1])


def test_at_risk_links_query(site):
    assert [row["url"] for row in rows(site, "at_risk_links")] == [site["urls"]["moved"]]


def test_last_run_changes_query(site):
    changed = {row["url"]: (row["was"], row["now"]) for row in rows(site, "last_run_changes")}
    assert changed == {site["urls"]["dead"]: ("at_risk", "dead"), site["urls"]["lost"]: ("at_risk", "dead")}


def test_never_archived_query(site):
    assert {row["url"] for row in rows(site, "never_archived")} == {site["urls"]["healthy"], site["urls"]["lost"]}


def test_uptime_query(site):
    uptime = {row["url"]: (row["uptime_30_days"], row["uptime_90_days"]) for row in rows(site, "uptime")}
    assert uptime[site["urls"]["healthy"]] == (100.0, 100.0)
    assert uptime[site["urls"]["dead"]] == (0.0, 0.0)


def test_slowest_query(site):
    assert {row["url"] for row in rows(site, "slowest")} == {site["urls"]["healthy"], site["urls"]["moved"]}


def test_url_history_query(site):
    history = rows(site, "url_history", url=site["urls"]["dead"])
    assert sorted(row["event"] for row in history) == ["archive lookup", "check", "check"]
    assert [row["at"] for row in history] == sorted((row["at"] for row in history), reverse=True)


def test_the_charts_draw_link_states_in_the_expected_colours(site, browser):
    page = site["url"] + "-/dashboards/link-health"
    with browser.visit(page, wait_for="#chart-archive-coverage svg .mark-arc path") as visit:
        visit.screenshot("dashboard-charts")
        for state in ("ok", "at_risk", "dead"):
            assert marks_filled(visit.page, "#chart-states-over-time", STATES[state].colour) >= 1, state
        assert visit.page.locator("#chart-response-times svg .mark-line path").count() >= 2
        assert visit.page.locator("#chart-archive-coverage svg .mark-arc path").count() == 3
        assert visit.console_errors == []


def test_urls_are_clickable_and_states_are_facets_in_the_table_view(site, browser):
    with browser.visit(site["url"] + "linkkeeper/link_health") as visit:
        assert visit.page.locator(f'table a[href="{site["urls"]["healthy"]}"]').count() == 1
        assert visit.page.locator(".facet-info[data-column=state]").count() == 1
        assert "The current health of every listed link" in visit.page.inner_text("body")
        assert visit.console_errors == []


def test_columns_are_described_for_newcomers(site):
    with urllib.request.urlopen(site["url"] + "linkkeeper/resources") as answer:
        page = answer.read().decode()
    assert "Where a permanently moved page now lives" in page


def test_an_address_that_does_not_exist_is_a_404_whatever_else_is_installed(site):
    """Datasette prints its errors with `rich` when it can import it; rich 14+ made each 404 a 500 (dashboard/plugins/
    errors.py). The suite's own tools bring rich in, so this runs where it is installed."""
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(site["url"] + "no-such-database")
    assert missing.value.code == 404


def test_the_database_cannot_be_written_through_the_dashboard(site):
    request = urllib.request.Request(
        site["url"] + "linkkeeper/resources/-/insert",
        data=json.dumps({"row": {"url": "http://evil.example/"}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code in (403, 404, 405)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(site["url"] + "linkkeeper.json?sql=" + urllib.request.quote("delete from resources"))
    assert refused.value.code == 400
    assert len(rows(site, "never_archived")) == 2
