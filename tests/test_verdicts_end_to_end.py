"""One check-links run over a local web where every page misbehaves in its own way; one verdict per test."""

from __future__ import annotations

import json
import time

import pytest
import yaml

from checking import database, json_here
from local_dns import LocalDNS
from local_web import Host, LocalWeb, closed_port_url, redirect, respond

HUGE = 200 * 1024 * 1024


def stream_huge(host):
    def handler(request):
        request.send_response(200)
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("Content-Length", str(HUGE))
        request.end_headers()
        chunk = b"\0" * 65536
        for _ in range(HUGE // len(chunk)):
            request.wfile.write(chunk)
            with host.lock:
                host.bytes_sent += len(chunk)

    return handler


def flaky_once(host, path):
    def handler(request):
        if len(host.hits(path)) == 1:
            respond(request, 503, headers={"Retry-After": "1"}, title="Busy")
        else:
            respond(request, 200, title="Back again")

    return handler


def answering_every_path(address: str, **page) -> Host:
    """A host that answers every path with the same page, as soft-404 sites and parked domains do."""
    return Host(address, fallback=lambda request: respond(request, **page))


PASSWORD = "s3cret-pass"


def build_scenarios(web: LocalWeb, expired: Host, soft_404: Host, parked: Host, future: Host) -> dict[str, str]:
    a, b = web.a, web.b
    b.route("/ok", title="The new home of the page")
    a.route("/after-userinfo", title="Reached without the user name")
    a.route("/", title="Home")
    urls = {
        "ok": a.route("/ok", title="A working page", body="<h1>Digital government toolkit</h1>"),
        "missing": a.route("/missing", status=404, title="Not Found"),
        "gone": a.route("/gone", status=410, title="Gone"),
        "moved": a.route("/moved", redirect(301, b.url + "/ok")),
        "moved_within": a.route("/moved-within", redirect(301, "/ok")),
        "home": a.route("/deep/page.asp?id=4", redirect(302, "/")),
        "soft_404": soft_404.url + "/egov/toolkit-2019.html",
        "parked": parked.url + "/",
        "challenge": a.route(
            "/challenge",
            status=403,
            title="Just a moment...",
            headers={"cf-mitigated": "challenge", "Server": "cloudflare"},
        ),
        "loop": a.route("/loop", redirect(302, "/loop")),
        "chain": a.route("/chain", redirect(301, "/chain/2")),
        "huge": a.route("/huge", stream_huge(a)),
        "flaky": a.route("/flaky", flaky_once(a, "/flaky")),
        "hang": b.route("/hang", lambda request: b.release.wait(60)),
        "refused": closed_port_url("127.0.0.9"),
        "tls": web.tls.route("/ok", title="A page with a short-lived certificate"),
        "tls_expired": expired.route("/ok", title="A page with an expired certificate"),
        "tls_expired_not_found": expired.route("/gone-page", title="Page not found", body="<h1>Page not found</h1>"),
        "tls_not_yet_valid": future.route("/ok", title="A page whose certificate is not valid yet"),
        "userinfo": a.route(
            "/userinfo", redirect(302, f"http://someone:{PASSWORD}@{a.url.removeprefix('http://')}/after-userinfo")
        ),
        "tls_broken": a.url.replace("http:", "https:") + "/ok",
        "mail_ok": "mailto:someone@mail.test",
        "mail_nxdomain": "mailto:someone@gone.test",
    }
    a.route("/chain/2", redirect(302, "/ok"))
    return urls


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    dns_records = {"mail.test": {"MX": ["10 mx1.mail.test."]}}
    expired = Host("127.0.0.30", tls_days=-2)
    soft_404 = answering_every_path("127.0.0.31", title="Page not found - UNPOG", body="<h1>Sorry!</h1>")
    parked = answering_every_path("127.0.0.32", title="unpog.org", body="<p>This domain is for sale!</p>")
    future = Host("127.0.0.33", tls_days=90, tls_valid_from_days=2)
    for host in (expired, soft_404, parked, future):
        host.start()
    with LocalWeb(first=20) as web, LocalDNS(dns_records) as dns:
        web.a.route("/canary", lambda request: respond(request, 204))
        urls = build_scenarios(web, expired, soft_404, parked, future)
        config = folder / "resources.yml"
        settings = {
            "timeout": 2,
            "retries": 1,
            "retry_backoff": 0.05,
            "canaries": [web.a.url + "/canary"],
            "nameservers": [dns.nameserver],
            "archive": {"enabled": False},
        }
        resources = [{"url": url, "title": name} for name, url in urls.items()]
        config.write_text(yaml.safe_dump({"settings": settings, "resources": resources}))
        started = time.monotonic()
        code, output = json_here(config)
        seconds = time.monotonic() - started
        web.b.release.set()
        rows = {
            row["name"]: row
            for row in database(config).query(
                "select checks.*, resources.title as name, resources.moved_to as resource_moved_to"
                " from checks join resources on resources.id = checks.resource_id"
            )
        }
        yield {"code": code, "json": output, "checks": rows, "web": web, "seconds": seconds, "folder": folder}
    for host in (expired, soft_404, parked, future):
        host.stop()


def check(run, name: str) -> dict:
    return run["checks"][name]


def test_a_working_page_is_ok_with_its_response_details(run):
    row = check(run, "ok")
    assert (row["state"], row["status_code"], row["title"]) == ("ok", 200, "A working page")
    assert row["content_type"].startswith("text/html")
    assert row["content_length"] > 0 and len(row["fingerprint"]) == 64
    assert row["error_class"] is None
    assert isinstance(row["elapsed_ms"], int) and 0 <= row["elapsed_ms"] < run["seconds"] * 1000, row["elapsed_ms"]


def test_a_404_is_at_risk_after_one_failure_not_dead(run):
    row = check(run, "missing")
    assert (row["state"], row["error_class"], row["status_code"]) == ("at_risk", "http", 404)
    assert "404 Not Found" in row["reason"]


def test_a_410_counts_as_a_failure(run):
    assert (check(run, "gone")["state"], check(run, "gone")["finding"]) == ("at_risk", "http")


def test_a_permanent_redirect_to_another_host_is_at_risk_and_says_where(run):
    row = check(run, "moved")
    new_home = run["web"].b.url + "/ok"
    assert (row["state"], row["finding"], row["moved_to"]) == ("at_risk", "moved", new_home)
    assert new_home in row["reason"]
    assert row["resource_moved_to"] == new_home


def test_a_permanent_redirect_within_the_site_is_ok(run):
    assert check(run, "moved_within")["state"] == "ok"


def test_a_deep_page_redirected_to_the_home_page_is_at_risk(run):
    row = check(run, "home")
    assert (row["state"], row["finding"]) == ("at_risk", "home-redirect")


def test_a_soft_404_is_at_risk(run):
    row = check(run, "soft_404")
    assert (row["state"], row["finding"], row["status_code"]) == ("at_risk", "soft-404", 200)


def test_a_domain_for_sale_is_at_risk(run):
    row = check(run, "parked")
    assert (row["state"], row["finding"]) == ("at_risk", "for-sale")
    assert "for sale" in row["reason"]


def test_a_bot_challenge_is_unknown_not_a_failure(run):
    row = check(run, "challenge")
    assert (row["state"], row["finding"], row["status_code"]) == ("unknown", "bot-challenge", 403)
    assert len(run["web"].a.hits("/challenge")) == 1, "a challenge is not retried"


def test_a_redirect_loop_ends_as_too_many_redirects(run):
    row = check(run, "loop")
    assert (row["state"], row["error_class"]) == ("at_risk", "too-many-redirects")


def test_the_whole_redirect_chain_is_recorded_with_each_status(run):
    row = check(run, "chain")
    base = run["web"].a.url
    assert json.loads(row["redirect_chain"]) == [
        {"url": base + "/chain", "status": 301},
        {"url": base + "/chain/2", "status": 302},
    ]
    assert (row["final_url"], row["redirects"], row["state"]) == (base + "/ok", 2, "ok")


def test_a_200_mb_page_is_alive_without_being_downloaded_whole(run):
    row = check(run, "huge")
    assert (row["state"], row["status_code"], row["truncated"]) == ("ok", 200, 1)
    assert row["content_length"] == HUGE
    assert run["web"].a.bytes_sent < 20 * 1024 * 1024


def test_a_hung_server_times_out(run):
    row = check(run, "hang")
    assert (row["state"], row["error_class"], row["attempts"]) == ("at_risk", "timeout", 2)


def test_a_refused_connection_is_recorded_as_refused(run):
    assert check(run, "refused")["error_class"] == "refused"


def test_a_503_is_retried_after_the_time_its_retry_after_asks(run):
    row = check(run, "flaky")
    hits = run["web"].a.hits("/flaky")
    assert (row["state"], row["attempts"], len(hits)) == ("ok", 2, 2)
    assert hits[1].at - hits[0].at >= 1.0


def test_a_certificate_expiring_within_30_days_is_at_risk(run):
    row = check(run, "tls")
    assert (row["state"], row["finding"], row["status_code"]) == ("at_risk", "cert-expiring", 200)
    assert row["tls_expires_at"]


def test_an_expired_certificate_is_a_tls_failure(run):
    row = check(run, "tls_expired")
    assert (row["state"], row["finding"], row["error_class"]) == ("at_risk", "tls", "tls")
    assert "expired" in row["reason"]


def test_an_expired_certificate_on_a_page_titled_not_found_names_the_expiry(run):
    row = check(run, "tls_expired_not_found")
    assert (row["state"], row["finding"], row["error_class"]) == ("at_risk", "tls", "tls")
    assert "TLS certificate expired on" in row["reason"] and "reads like an error page" in row["reason"]


def test_a_certificate_not_valid_yet_is_a_tls_failure(run):
    row = check(run, "tls_not_yet_valid")
    assert (row["state"], row["finding"], row["error_class"], row["status_code"]) == ("at_risk", "tls", "tls", 200)
    assert "TLS certificate not valid until" in row["reason"]


def test_a_redirect_with_a_user_name_and_password_is_followed_without_them(run):
    row = check(run, "userinfo")
    after = run["web"].a.url + "/after-userinfo"
    assert (row["state"], row["finding"], row["final_url"]) == ("ok", "ok", after)
    assert [seen.headers.get("Authorization") for seen in run["web"].a.hits("/after-userinfo")] == [None]
    stored = database(run["folder"] / "resources.yml")
    assert not [table for table in stored.table_names() if any(PASSWORD in str(r) for r in stored[table].rows)]
    assert PASSWORD not in json.dumps(run["json"])


def test_a_failed_tls_handshake_is_a_tls_failure(run):
    row = check(run, "tls_broken")
    assert (row["state"], row["error_class"]) == ("at_risk", "tls")


def test_a_mail_address_whose_domain_has_mail_servers_is_ok(run):
    row = check(run, "mail_ok")
    assert (row["state"], row["status_code"]) == ("ok", None)
    assert "mx1.mail.test" in row["reason"]


def test_a_mail_address_on_a_domain_that_does_not_exist_fails_as_dns(run):
    row = check(run, "mail_nxdomain")
    assert (row["state"], row["error_class"]) == ("at_risk", "dns")


def test_every_request_names_linkkeeper_and_a_contact_url_in_its_user_agent(run):
    agents = {seen.headers["User-Agent"] for host in run["web"].hosts for seen in host.seen}
    assert agents and all(agent.startswith("linkkeeper/") and "+http" in agent for agent in agents)


def test_a_run_with_no_dead_link_exits_0_and_reports_every_resource(run):
    assert run["code"] == 0
    assert len(run["json"]["resources"]) == len(run["checks"])
