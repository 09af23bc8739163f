"""A probe's answer kept between runs judges every page as the fresh answer did (crawler/rules/probe_answers.py),
and a page that shows its host changed is judged against a fresh probe instead (crawler/rules/probes.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corpus_judging import judged
from crawler.rules.fetched import Fetch, Hop
from crawler.rules.page import read_page
from crawler.rules.probe_answers import decoded, encoded, keeps
from crawler.rules.probes import changed_since_probed
from detection_corpus import load_scenarios
from linkkeeper.health.similarity import signature

SCENARIOS = load_scenarios()
ERROR_PAGE = "<html><head><title>Page not found</title></head><body><h1>Sorry</h1><p>No such page.</p></body></html>"


def probe(server: str = "nginx", **facts) -> Fetch:
    return Fetch(
        "http://example.org/docs/linkkeeper-probe-0a1b2c.html",
        facts.pop("status", 200),
        final_url="http://example.org/not-found",
        chain=(Hop("http://example.org/docs/linkkeeper-probe-0a1b2c.html", 302),),
        headers={"server": server, "content-type": "text/html", "set-cookie": "session=1234"},
        page=read_page(ERROR_PAGE),
        **facts,
    )


def test_a_stored_probe_gives_every_corpus_page_the_verdict_of_the_fresh_one():
    """Each page of the labelled corpus (soft 404s, catch-alls, parked and for-sale pages, walls, refusals of a page
    that answered before), judged against its host's probe fresh and as a later run reads it from the store."""
    served_at = "2026-01-01T00:00:00+00:00"  # a refusal is judged against the probe only for a page that answered
    differ = [
        scenario.name
        for index, scenario in enumerate(SCENARIOS)
        if judged(scenario, index, served_at, stored=True) != judged(scenario, index, served_at)
    ]
    assert differ == []


def test_a_stored_answer_keeps_every_fact_the_rules_read_and_no_cookie():
    fresh = probe()
    kept = decoded(encoded(fresh))
    assert kept == replace(fresh, headers={"server": "nginx", "content-type": "text/html"})


@pytest.mark.parametrize("answer", [{"status": 429}, {"status": 503}, {"status": None, "error_class": "timeout"}])
def test_an_answer_of_the_moment_is_not_kept(answer):
    assert not keeps(probe(**answer))


def test_a_damaged_stored_answer_is_refused():
    with pytest.raises(ValueError, match="not a stored probe answer"):
        decoded(encoded(probe())[:-8] + "AAAAAAAA")


def page(server: str = "nginx", url: str = "http://example.org/docs/a.html", text: str = "On Incheon") -> Fetch:
    markup = f"<html><head><title>Report</title></head><body><main><p>{text}</p></main></body></html>"
    return Fetch(url, 200, final_url=url, headers={"server": server}, page=read_page(markup))


def test_a_page_of_the_same_server_and_text_fits_the_stored_probe():
    seen = {"landed": "http://example.org/docs/a.html", "signature": signature(page().page.content_text)}
    assert not changed_since_probed(page(), probe(), seen)


def test_a_page_served_by_another_server_needs_a_fresh_probe():
    assert changed_since_probed(page(server="parking-service"), probe(), {})


def test_a_page_that_lands_on_another_host_than_last_time_needs_a_fresh_probe():
    assert changed_since_probed(page(url="http://example.org/a"), probe(), {"landed": "http://www.example.com/a"})


def test_a_page_unlike_its_baseline_text_needs_a_fresh_probe():
    before = signature("The expert group meeting on digital government for the least developed countries " * 5)
    assert changed_since_probed(
        page(text="This domain is for sale: make an offer today " * 5), probe(), {"signature": before}
    )
