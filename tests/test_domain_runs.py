"""Domain expiry over real runs of check-links: a local registry answers by RDAP (tests/local_rdap.py, the
bootstrap file pointing at it), the links are listed under real-looking names served by the local web
(tests/named_hosts.py), and the crawler's reports for their pages are replayed (tests/recorded.py)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from checking import DEAD_AT_ONCE, check_here, database, health, linkkeeper_here, one_line
from local_rdap import LocalRdap, Registration
from named_hosts import by_name

LAPSING, LAPSED, RENEWED = "http://lapsing.org", "http://www.lapsed.org", "http://renewed.org"
FIJI = "http://www.statsfiji.gov.fj"


def day_in(days: float) -> str:
    return f"{datetime.now(UTC) + timedelta(days=days):%Y-%m-%d}"


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """The registry of `.org`, its bootstrap file the one every run reads; no other TLD has a service."""
    with LocalRdap(
        {
            "lapsing.org": Registration(10),
            "lapsed.org": Registration(-5, ("client hold",)),
            "renewed.org": Registration(300),
        }
    ) as rdap:
        monkeypatch.setenv("LINKKEEPER_RDAP_BOOTSTRAP", str(rdap.bootstrap(tmp_path)))
        yield rdap


@pytest.fixture
def named(web, recorder, monkeypatch):
    """Runs whose links under the names above are served by the local web's hosts b (lapsing.org, renewed.org,
    statsfiji.gov.fj) and c (lapsed.org)."""
    names = {LAPSING: web.b.url, RENEWED: web.b.url, FIJI: web.b.url, LAPSED: web.c.url}
    monkeypatch.setattr("cli.crawl", by_name(recorder.fetch_for(web, []), names))
    return web


def page(web_host, path: str) -> None:
    web_host.route(path, title="Digital government toolkit", body="<p>" + "A chapter on shared services. " * 40)


def test_a_domain_expiring_within_the_warning_days_puts_its_live_link_at_risk_with_the_date(
    named, registry, write_config
):
    page(named.b, "/toolkit")
    config = write_config([f"{LAPSING}/toolkit"])
    done = check_here(config)
    assert done.returncode == 0
    row = health(config)[f"{LAPSING}/toolkit"]
    assert (row["state"], row["finding"]) == ("at_risk", "domain-expiring")
    assert row["reason"] == f"domain lapsing.org expires on {day_in(10)}"
    assert f"domain lapsing.org expires on {day_in(10)}" in done.stdout
    stored = database(config)["domains"].get("lapsing.org")
    assert (stored["answer"], stored["registrar"], stored["statuses"]) == (
        "found",
        "Pacific Names Registrar Ltd",
        '["client transfer prohibited"]',
    )


def test_status_and_history_name_the_domain_expiry(named, registry, write_config):
    page(named.b, "/toolkit")
    config = write_config([f"{LAPSING}/toolkit"])
    check_here(config)
    words = f"domain lapsing.org expires on {day_in(10)}"
    assert words in linkkeeper_here("status", "--config", str(config)).stdout
    assert words in linkkeeper_here("history", f"{LAPSING}/toolkit", "--config", str(config)).stdout


def test_a_domain_far_from_expiry_leaves_its_link_ok(named, registry, write_config):
    page(named.b, "/toolkit")
    config = write_config([f"{RENEWED}/toolkit"])
    assert check_here(config).returncode == 0
    assert health(config)[f"{RENEWED}/toolkit"]["state"] == "ok"


def test_a_failing_link_on_an_expired_domain_is_dead_naming_the_domain(named, registry, write_config):
    named.c.route("/programme", status=404)
    config = write_config([f"{LAPSED}/programme"], health=DEAD_AT_ONCE)
    done = check_here(config)
    assert done.returncode == 1
    row = health(config)[f"{LAPSED}/programme"]
    assert row["state"] == "dead"
    assert row["reason"].startswith(f"404 Not Found; domain lapsed.org expired on {day_in(-5)} (failed ")


def test_a_live_page_on_an_expired_domain_is_at_risk_and_never_dead(named, registry, write_config):
    page(named.c, "/programme")
    config = write_config([f"{LAPSED}/programme"], health=DEAD_AT_ONCE)
    for _ in range(2):
        assert check_here(config).returncode == 0
    row = health(config)[f"{LAPSED}/programme"]
    assert (row["state"], row["finding"]) == ("at_risk", "domain-expiring")
    assert row["reason"] == f"domain lapsed.org expired on {day_in(-5)}, but the page still answers (200 OK)"


def test_a_top_level_domain_without_rdap_is_no_information_and_asks_nobody(named, registry, write_config):
    page(named.b, "/statistics")
    config = write_config([f"{FIJI}/statistics"])
    assert check_here(config).returncode == 0
    assert health(config)[f"{FIJI}/statistics"]["state"] == "ok"
    assert database(config)["domains"].get("statsfiji.gov.fj")["answer"] == "no-service"
    assert registry.asked == []


def test_a_second_run_within_a_week_asks_the_registry_nothing_and_a_week_later_it_asks_again(
    named, registry, write_config
):
    page(named.b, "/toolkit")
    config = write_config([f"{LAPSING}/toolkit", f"{RENEWED}/toolkit"])
    check_here(config)
    check_here(config)
    assert sorted(registry.domains_asked) == ["lapsing.org", "renewed.org"]
    assert health(config)[f"{LAPSING}/toolkit"]["finding"] == "domain-expiring"  # from the cache
    eight_days_ago = (datetime.now(UTC) - timedelta(days=8)).isoformat(timespec="seconds")
    db = database(config)
    db.execute("update domains set asked_at = ?", [eight_days_ago])
    db.conn.commit()
    check_here(config)
    assert sorted(registry.domains_asked) == ["lapsing.org", "lapsing.org", "renewed.org", "renewed.org"]


def test_one_server_is_asked_one_request_at_a_time_with_the_gap_between(named, registry, write_config):
    page(named.b, "/toolkit")
    config = write_config([f"{LAPSING}/toolkit", f"{RENEWED}/toolkit"], rdap={"gap": 0.3})
    check_here(config)
    (_, first), (_, second) = registry.asked
    assert registry.max_in_flight == 1
    assert second - first >= 0.3


def test_a_silent_registry_costs_a_run_no_more_than_the_time_budget(named, write_config, tmp_path, monkeypatch):
    page(named.b, "/toolkit")
    with LocalRdap(silent=True) as silent:
        monkeypatch.setenv("LINKKEEPER_RDAP_BOOTSTRAP", str(silent.bootstrap(tmp_path)))
        config = write_config([f"{LAPSING}/toolkit", f"{RENEWED}/toolkit"], rdap={"timeout": 5, "time_budget": 1})
        started = time.monotonic()
        first = check_here(config)
        with_lookups = time.monotonic() - started
        started = time.monotonic()
        check_here(config)  # a failed look-up is asked again a day later: none now
        without = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    assert with_lookups - without < 1 + 1.0
    assert health(config)[f"{LAPSING}/toolkit"]["state"] == "ok"
    answers = {row["domain"]: (row["answer"], row["error"]) for row in database(config)["domains"].rows}
    assert answers == {
        "lapsing.org": ("failed", "no answer in time"),
        "renewed.org": (
            "failed",
            f"not asked: {urlsplit(silent.url).netloc} failed for lapsing.org (no answer in time)",
        ),
    }
    assert silent.domains_asked == ["lapsing.org"]


def test_with_rdap_off_no_registry_is_asked(named, registry, write_config):
    page(named.b, "/toolkit")
    config = write_config([f"{LAPSING}/toolkit"], rdap={"enabled": False})
    check_here(config)
    assert health(config)[f"{LAPSING}/toolkit"]["state"] == "ok"
    assert registry.asked == []


def test_the_domain_of_a_link_set_aside_is_not_asked(named, registry, write_config):
    page(named.b, "/toolkit")
    ignored = {"url": f"{LAPSING}/toolkit", "title": "Toolkit", "ignore": True, "note": "moved to print"}
    config = write_config([ignored, f"{RENEWED}/toolkit"])
    assert check_here(config).returncode == 0
    assert registry.domains_asked == ["renewed.org"]


def test_an_unreadable_bootstrap_file_is_one_line_naming_it(named, write_config, tmp_path, monkeypatch):
    bootstrap = tmp_path / "dns.json"
    bootstrap.write_text("<html>not json</html>")
    monkeypatch.setenv("LINKKEEPER_RDAP_BOOTSTRAP", str(bootstrap))
    config = write_config([f"{LAPSING}/toolkit"])
    done = check_here(config)
    assert done.returncode == 2
    assert str(bootstrap) in one_line(done.stderr) and "RDAP bootstrap" in done.stderr
    assert database(config)["checks"].count == 0
