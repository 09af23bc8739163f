"""The reader's voice (linkkeeper/output/reader.py): what a link's health means to a person who follows the
published list, in a sentence with an absolute date in the list's zone, and never the evidence."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from linkkeeper.health.findings import FINDINGS
from linkkeeper.output.reader import FAILED, THREATENED, WALLED, sentence

FIJI = ZoneInfo("Pacific/Fiji")
SINCE = "2026-12-06T13:00:00+00:00"  # 7 December 2026, 01:00 in Fiji
EVIDENCE = ("similarity", "probe", "header", "checks in a row", "(dead", "over 0 days")


def row(state: str, finding: str | None, **more) -> dict:
    return {"state": state, "finding": finding, "since": SINCE, "failing_since": SINCE, **more}


def test_a_dead_page_says_gone_since_the_first_failure_in_the_lists_zone():
    said = sentence(row("dead", "http", last_status=404, since="2026-12-20T00:00:00+00:00"), FIJI)
    assert said == "Gone since 7 December 2026: the page answers “not found” (404)."


def test_a_domain_for_sale_is_said_as_such():
    said = sentence(row("dead", "for-sale"), FIJI)
    assert said == "Gone since 7 December 2026: the site now shows a domain-for-sale page."


def test_a_failing_link_not_yet_dead_says_it_may_be_temporary():
    said = sentence(row("at_risk", "timeout"), FIJI)
    assert said.startswith("Failing since 7 December 2026: the site does not answer; this may be temporary")


def test_a_wall_is_not_called_not_checked():
    said = sentence(row("unknown", "auth-required"), FIJI)
    assert said == "Could not be checked automatically: the site asks for a sign-in."


def test_a_link_never_checked_says_so():
    assert sentence({}, FIJI) == "Not checked yet."


def test_a_moved_page_names_its_new_address():
    said = sentence(row("at_risk", "moved", moved_to="https://new.example.org/"), FIJI)
    assert said == "The page has moved to https://new.example.org/."


def test_a_live_page_works():
    assert sentence(row("ok", "ok"), FIJI) == "The page works."


@pytest.mark.parametrize("finding", sorted(FINDINGS))
@pytest.mark.parametrize("state", ["ok", "at_risk", "dead", "unknown"])
def test_no_finding_in_any_state_reaches_a_reader_as_evidence(state, finding):
    said = sentence(row(state, finding, last_status=503, moved_to="https://new.example.org/"), FIJI)
    assert said[0].isupper() and said.endswith(".")
    assert not any(word in said.lower() for word in EVIDENCE), said
    assert said.count("since") <= 1


def test_every_finding_has_its_reader_words():
    """A finding added to the table without words for readers would be said vaguely: each outcome has its words."""
    for name, finding in FINDINGS.items():
        words = {"failure": {**FAILED, "http": ""}, "warning": THREATENED, "blocked": WALLED, "ok": {"ok": ""}}
        assert name in words[finding.outcome], name
