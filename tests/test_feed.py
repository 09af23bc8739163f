"""The feed of changes (Atom): after real runs in which a link dies and recovers, `linkkeeper report --format atom`
and the dashboard's `/-/changes.atom` give one entry per change of a link's state, newest first, with ids that
stay the same from one reading to the next. Runs are made in this process, the crawler's reports replayed."""

from __future__ import annotations

import urllib.request
from xml.etree import ElementTree

import pytest

from checking import check_here, linkkeeper_here
from local_dashboard import dashboard

pytestmark = pytest.mark.usefixtures("replayed_crawls")

A = "{http://www.w3.org/2005/Atom}"
DIES_AT_ONCE = {"dead_after_failures": 1, "dead_after_days": 0}
TITLE = "The <b>toolkit</b> & co"


@pytest.fixture
def died_and_recovered(web, write_config):
    """A list whose one link was ok, died, then recovered (three runs), and a second link ok throughout."""
    url = web.a.route("/page", title="A page")
    steady = web.a.route("/steady", title="Steady")
    config = write_config(
        [{"url": url, "title": TITLE, "section": "Tools"}, steady], retries=0, health=DIES_AT_ONCE
    )
    check_here(config)
    web.a.route("/page", status=404)
    check_here(config)
    web.a.route("/page", title="A page")
    check_here(config)
    return config, url


def feed(config) -> ElementTree.Element:
    done = linkkeeper_here("report", "--config", str(config), "--format", "atom")
    assert done.returncode == 0, done.stderr
    return ElementTree.fromstring(done.stdout)


def test_each_change_of_a_links_state_is_an_entry_newest_first(died_and_recovered):
    config, url = died_and_recovered
    entries = feed(config).findall(f"{A}entry")
    assert [e.find(f"{A}title").text for e in entries] == [f"ok: {TITLE} (was dead)", f"dead: {TITLE} (was ok)"]
    assert {e.find(f"{A}link").get("href") for e in entries} == {url}
    assert "404" in entries[1].find(f"{A}content").text


def test_an_entry_says_the_change_in_the_readers_voice_not_the_evidence(died_and_recovered):
    config, _ = died_and_recovered
    died, recovered = reversed(feed(config).findall(f"{A}entry"))
    assert "ok → dead: Gone: the page answers “not found” (404)." in died.find(f"{A}content").text
    assert "dead → ok: The page works." in recovered.find(f"{A}content").text
    assert "failed 1 check" not in died.find(f"{A}content").text  # the stored reason, for the person who runs it


def test_the_feed_has_what_rfc_4287_requires_of_a_feed_and_its_entries(died_and_recovered):
    config, _ = died_and_recovered
    root = feed(config)
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{A}{name}") is not None, name
    for entry in root.findall(f"{A}entry"):
        for name in ("id", "title", "updated", "link", "content"):
            assert entry.find(f"{A}{name}") is not None, name
        assert entry.find(f"{A}id").text.startswith("urn:uuid:")


def test_an_entry_keeps_its_id_from_one_reading_to_the_next(died_and_recovered, web):
    config, _ = died_and_recovered
    before = [e.find(f"{A}id").text for e in feed(config).findall(f"{A}entry")]
    web.a.route("/page", status=404)
    check_here(config)
    after = [e.find(f"{A}id").text for e in feed(config).findall(f"{A}entry")]
    assert after[1:] == before and after[0] not in before


def test_the_titles_markup_is_text_in_the_feed_never_markup(died_and_recovered):
    config, _ = died_and_recovered
    done = linkkeeper_here("report", "--config", str(config), "--format", "atom")
    assert "<b>" not in done.stdout and "&lt;b&gt;toolkit" in done.stdout


def test_the_feed_keeps_the_newest_changes_only(died_and_recovered, monkeypatch):
    monkeypatch.setattr("linkkeeper.store.changes.FEED_ENTRIES", 1)
    config, _ = died_and_recovered
    assert [e.find(f"{A}title").text for e in feed(config).findall(f"{A}entry")] == [f"ok: {TITLE} (was dead)"]


def test_the_dashboard_serves_the_same_feed_and_its_landing_page_links_it(died_and_recovered, tmp_path):
    config, _ = died_and_recovered
    with dashboard(config, tmp_path) as served:
        with urllib.request.urlopen(served.url + "-/changes.atom", timeout=10) as answer:
            kind, served_feed = answer.headers["Content-Type"], ElementTree.fromstring(answer.read())
        with urllib.request.urlopen(served.url, timeout=10) as answer:
            landing = answer.read().decode()
    assert kind.startswith("application/atom+xml")
    ids = [e.find(f"{A}id").text for e in served_feed.findall(f"{A}entry")]
    assert ids == [e.find(f"{A}id").text for e in feed(config).findall(f"{A}entry")]
    assert '<link rel="alternate" type="application/atom+xml"' in landing and "/-/changes.atom" in landing
