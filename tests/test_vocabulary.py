"""One vocabulary: what real runs store is in it, and the dashboard describes, counts and draws it as it says."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
import yaml
from conftest import NOWHERE

from checking import DEAD_AT_ONCE, FAST_ARCHIVE, check_here, database
from dashboard import local_time, queries
from dashboard.metadata import metadata
from linkkeeper.health.vocabulary import (
    ARCHIVE_STATUSES,
    NETWORK_DOWN,
    REFUSED,
    RUN_STATUSES,
    SNAPSHOT_STATUSES,
    STATES,
)
from linkkeeper.store.schema import COLUMNS
from local_dashboard import dashboard
from local_wayback import LocalWayback
from local_web import LocalWeb, redirect, respond

# Where each vocabulary is stored: (table, column).
STORED = {
    ("resources", "state"): STATES,
    ("checks", "state"): STATES,
    ("runs", "status"): RUN_STATUSES,
    ("snapshots", "status"): SNAPSHOT_STATUSES,
    ("resources", "archive_status"): ARCHIVE_STATUSES,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A completed run, archive step included, that meets every state and archive status, then a network_down run.

    The archive (a local one, with keys) captures a moved page, refuses another, never finishes a third, finds a
    dead page's capture, has none for a second and excludes a third's site.
    """
    folder = tmp_path_factory.mktemp("vocabulary")
    with LocalWeb(first=50) as web, LocalWayback() as wayback:
        web.a.route("/canary", lambda request: respond(request, 204))

        def moved(name: str) -> str:
            return web.a.route(f"/{name}", redirect(301, web.b.route(f"/new-{name}", title=name)))

        urls = {
            "healthy": web.a.route("/toolkit", title="Toolkit"),
            "login": web.a.route("/members", status=401),
            "saved": moved("saved"),
            "refused": moved("refused"),
            "still capturing": moved("still-capturing"),
            "dead, archived": web.a.route("/gone", status=404),
            "dead, lost": web.a.route("/never-archived", status=410),
            "dead, excluded": web.c.route("/excluded", status=404),
        }
        wayback.add_capture(urls["dead, archived"], "20200101000000")
        wayback.block_site(web.c.url)
        wayback.set_save_behaviour(urls["refused"], "blocked")
        wayback.set_save_behaviour(urls["still capturing"], "never")
        config = folder / "resources.yml"
        settings = {
            "timeout": 3,
            "retries": 0,
            "health": DEAD_AT_ONCE,
            "archive": {**FAST_ARCHIVE, "job_timeout": 0.5},
        }
        resources = [{"url": url, "title": name} for name, url in urls.items()]

        def write(canary: str) -> None:
            listed = {"settings": {**settings, "canaries": [canary]}, "resources": resources}
            config.write_text(yaml.safe_dump(listed))

        environment = {
            "LINKKEEPER_WAYBACK_URL": wayback.base_url,
            "IA_ACCESS_KEY": wayback.access,
            "IA_SECRET_KEY": wayback.secret,
            "HOME": str(folder),
        }
        write(web.a.url + "/canary")
        assert check_here(config, env=environment).returncode == 1
        write(NOWHERE)
        assert check_here(config, env=environment).returncode == 3
        yield {"config": config, "urls": urls, "folder": folder}


def stored_values(config, table: str, column: str) -> set[str]:
    return {row[column] for row in database(config).query(f"select distinct {column} from {table}") if row[column]}


@pytest.mark.parametrize(("table", "column"), list(STORED), ids=[f"{t}.{c}" for t, c in STORED])
def test_every_word_a_run_stores_is_in_the_vocabulary(site, table, column):
    stored = stored_values(site["config"], table, column)
    assert stored and stored <= set(STORED[table, column])


def test_the_run_met_every_archive_status_refusal_included(site):
    assert stored_values(site["config"], "resources", "archive_status") == set(ARCHIVE_STATUSES)


@pytest.mark.parametrize(("table", "column"), list(STORED), ids=[f"{t}.{c}" for t, c in STORED])
def test_the_dashboard_describes_every_allowed_value_of_a_column(table, column):
    description = COLUMNS[table][column]
    for name in STORED[table, column]:
        assert re.search(rf"\b{name}\b", description), (name, description)


def test_a_refused_page_counts_as_refused_in_the_archive_coverage(site):
    coverage = {row["coverage"]: row["links"] for row in database(site["config"]).query(queries.ARCHIVE_COVERAGE)}
    assert coverage[ARCHIVE_STATUSES[REFUSED].label] == 1


def test_the_charts_colour_every_value_their_queries_return_as_the_vocabulary_does(site):
    db = database(site["config"])
    charts = metadata("linkkeeper", "Test")["plugins"]["datasette-dashboards"]["link-health"]["charts"]
    states = charts["states-over-time"]["display"]["encoding"]["color"]["scale"]
    assert dict(zip(states["domain"], states["range"], strict=True)) == {
        STATES[name].label: colour for name, colour in STATES.colours.items()  # each state drawn by its label
    }
    coverage = charts["archive-coverage"]["display"]["encoding"]["color"]["scale"]
    colours = dict(zip(coverage["domain"], coverage["range"], strict=True))
    assert {term.label: term.colour for term in ARCHIVE_STATUSES.values()}.items() <= colours.items()
    assert {row["coverage"] for row in db.query(queries.ARCHIVE_COVERAGE)} <= set(colours)
    local_time.register(db.conn, UTC)  # as the dashboard's connections have it (dashboard/plugins/clock.py)
    assert {row["state"] for row in db.query(queries.STATES_OVER_TIME)} <= set(STATES)


@pytest.fixture(scope="module")
def landing(site, browser):
    with dashboard(site["config"], site["folder"]) as served, browser.visit(served.url) as visit:
        yield visit


def test_the_landing_page_draws_each_state_in_its_vocabulary_colour(landing):
    for state in STATES.values():
        tally = landing.page.locator(f".tally .state-{state.name}")
        assert tally.inner_text() == state.label
        assert tally.evaluate("element => getComputedStyle(element).backgroundColor") == rgb(state.colour)
    assert landing.console_errors == []


def test_the_landing_page_names_the_last_runs_status_in_words(landing):
    assert f": {RUN_STATUSES[NETWORK_DOWN].label}, " in landing.page.locator(".tally").inner_text()


def rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"
