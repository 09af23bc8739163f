"""Domain expiry's parts: the rule that judges a check by its domain's registration (pure), the registered domain
of a link, the bootstrap file's services, when a domain is due to be asked again, and one look-up against a
local registry (tests/local_rdap.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from linkkeeper.domains.bootstrap import SHIPPED, load_bootstrap
from linkkeeper.domains.lookups import is_due
from linkkeeper.domains.rdap import look_up
from linkkeeper.domains.registered import registered_domain
from linkkeeper.errors import InputError
from linkkeeper.health.domain_expiry import DomainFacts, judge_domain
from local_rdap import LocalRdap, Registration

CHECKED = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
SOON = DomainFacts("example.org", "2027-01-05T23:59:59+00:00")  # 29 days after CHECKED
PAST = DomainFacts("example.org", "2026-11-30T00:00:00+00:00")
FAR = DomainFacts("example.org", "2028-01-01T00:00:00+00:00")


def check(finding: str, outcome: str, detail: str, **more) -> dict:
    return {"finding": finding, "outcome": outcome, "detail": detail, "checked_at": CHECKED.isoformat(), **more}


def test_a_live_page_whose_domain_expires_within_the_warning_days_is_a_warning_naming_the_date():
    judged = judge_domain(check("ok", "ok", "200 OK"), SOON, 30)
    assert (judged["finding"], judged["outcome"]) == ("domain-expiring", "warning")
    assert judged["detail"] == "domain example.org expires on 2027-01-05"


def test_a_domain_expiring_after_the_warning_days_changes_nothing():
    ok = check("ok", "ok", "200 OK")
    assert judge_domain(ok, SOON, 20) == ok
    assert judge_domain(ok, FAR, 30) == ok
    assert judge_domain(ok, None, 30) == ok


def test_a_failure_on_a_lapsed_domain_stays_its_finding_with_the_domain_named():
    judged = judge_domain(check("http", "failure", "404 Not Found"), PAST, 30)
    assert (judged["finding"], judged["outcome"]) == ("http", "failure")
    assert judged["detail"] == "404 Not Found; domain example.org expired on 2026-11-30"


LONG_PAST = DomainFacts("example.org", "2026-10-01T00:00:00+00:00")  # 67 days before CHECKED
SUSPECT = check("suspect-404", "warning", "the site answers every address with the same page")


def test_a_suspected_error_page_on_a_domain_lapsed_beyond_its_grace_period_is_a_failure_of_the_domain():
    judged = judge_domain(SUSPECT, LONG_PAST, 30)
    assert (judged["finding"], judged["outcome"]) == ("domain-expired", "failure")
    assert judged["detail"].startswith("domain example.org expired on 2026-10-01; the site answers")


def test_a_suspected_error_page_on_a_domain_being_deleted_is_a_failure_of_the_domain():
    deleting = DomainFacts("example.org", PAST.expires_at, ("redemption period",))
    assert judge_domain(SUSPECT, deleting, 30)["finding"] == "domain-expired"


def test_a_suspected_error_page_within_the_grace_period_stays_a_suspicion_with_the_domain_named():
    judged = judge_domain(SUSPECT, PAST, 30)
    assert (judged["finding"], judged["outcome"]) == ("suspect-404", "warning")
    assert judged["detail"].endswith("same page; domain example.org expired on 2026-11-30")


def test_a_live_page_on_a_lapsed_domain_is_only_at_risk():
    judged = judge_domain(check("ok", "ok", "200 OK"), PAST, 30)
    assert (judged["finding"], judged["outcome"]) == ("domain-expiring", "warning")
    assert judged["detail"] == "domain example.org expired on 2026-11-30, but the page still answers (200 OK)"


def test_a_wall_on_a_lapsed_domain_stays_a_wall_with_the_domain_named():
    judged = judge_domain(check("auth-required", "blocked", "401 Unauthorized"), PAST, 30)
    assert (judged["finding"], judged["outcome"]) == ("auth-required", "blocked")
    assert judged["detail"].endswith("; domain example.org expired on 2026-11-30")


def test_a_move_keeps_its_finding_and_new_address_when_the_domain_expires_soon():
    moved = check("moved", "warning", "moved permanently to https://new.example/", moved_to="https://new.example/")
    judged = judge_domain(moved, SOON, 30)
    assert (judged["finding"], judged["moved_to"]) == ("moved", "https://new.example/")
    assert judged["detail"] == "moved permanently to https://new.example/; domain example.org expires on 2027-01-05"


@pytest.mark.parametrize(
    ("status", "words"),
    [("redemption period", "is in its redemption period"), ("pending delete", "is pending deletion")],
)
def test_a_registration_being_deleted_has_lapsed_whatever_its_date(status, words):
    facts = DomainFacts("example.org", FAR.expires_at, ("client hold", status))
    judged = judge_domain(check("dns", "failure", "host name not found"), facts, 30)
    assert judged["detail"] == f"host name not found; domain example.org {words}"


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.unescap.org/resources", "unescap.org"),
        ("http://www.statsfiji.gov.fj/x", "statsfiji.gov.fj"),
        ("mailto:office@Pacific.Gov.FJ", "pacific.gov.fj"),
        ("https://bücher.de/", "xn--bcher-kva.de"),
        ("https://user.github.io/report", "github.io"),
        ("http://127.0.0.1:8080/", None),
        ("http://[::1]/", None),
        ("http://localhost:8000/", None),
        ("http://intranet/", None),
        ("http://site.test/", None),
    ],
)
def test_the_registered_domain_of_a_link(url, domain):
    assert registered_domain(url) == domain


def test_the_shipped_bootstrap_finds_a_registry_by_the_longest_suffix_and_none_for_a_tld_without_rdap():
    bootstrap = load_bootstrap(SHIPPED)
    assert bootstrap.server_for("unescap.org") == "https://rdap.publicinterestregistry.org/rdap/"
    assert bootstrap.server_for("statsfiji.gov.fj") is None


def test_a_file_that_is_no_bootstrap_is_bad_input_naming_it(tmp_path):
    path = tmp_path / "dns.json"
    path.write_text('{"services": {"org": "https://rdap.example/"}}')
    with pytest.raises(InputError, match=r"dns\.json'?: not an RDAP bootstrap file"):
        load_bootstrap(path)


NOW = datetime(2026, 12, 7, tzinfo=UTC)


def asked(days_ago: float, answer: str = "found", expires_in: float | None = 100) -> dict:
    expires = None if expires_in is None else (NOW + timedelta(days=expires_in)).isoformat()
    return {"asked_at": (NOW - timedelta(days=days_ago)).isoformat(), "answer": answer, "expires_at": expires}


@pytest.mark.parametrize(
    ("row", "due"),
    [
        (None, True),
        (asked(6), False),
        (asked(7), True),
        (asked(2, "failed", None), True),
        (asked(0.5, "failed", None), False),
        (asked(3, "no-service", None), False),
        (asked(3, expires_in=-1), True),  # the date passed since it was asked: renewed?
        (asked(3, expires_in=-5), False),  # it had passed already: asked again after a week
    ],
)
def test_a_domain_is_asked_again_after_a_week_or_a_day_after_a_failure_or_its_expiry(row, due):
    assert is_due(row, NOW, 7) is due


def test_a_look_up_reads_the_registrys_expiry_statuses_and_registrar():
    with LocalRdap({"example.org": Registration(10, ("client hold", "redemption period"))}) as registry:
        answer = look_up(registry.url, "example.org", time.monotonic() + 5, "linkkeeper-test")
    expected = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    assert answer.answer == "found"
    assert abs(datetime.fromisoformat(answer.expires_at) - expected) < timedelta(seconds=5)
    assert (answer.statuses, answer.registrar) == (("client hold", "redemption period"), "Pacific Names Registrar Ltd")


def test_a_name_the_registry_does_not_hold_is_not_found():
    with LocalRdap() as registry:
        assert look_up(registry.url, "unheld.org", time.monotonic() + 5, "linkkeeper-test").answer == "not-found"


def test_a_registry_that_drips_its_answer_is_given_up_at_the_deadline():
    with LocalRdap(drip=True) as registry:
        started = time.monotonic()
        answer = look_up(registry.url, "example.org", started + 1, "linkkeeper-test")
        took = time.monotonic() - started
    assert (answer.answer, answer.error) == ("failed", "no answer in time")
    assert took < 1.5
