"""The verdict rules on their own: what one fetched response means, without a network.

`tests/test_detection_corpus.py` measures the same rules on a corpus of realistic pages served on
loopback; these tests pin one rule each, with the smallest page that shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.rules.fetched import Fetch, Hop, status_line
from crawler.rules.page import read_page
from crawler.rules.soft404 import probe_url
from crawler.rules.verdict import judge, needs_probe

NOW = datetime(2026, 11, 29, tzinfo=UTC)
ARTICLE = " ".join(
    ["Small island states plan their e-government services with this toolkit, chapter by chapter."] * 40
)


def html(title: str = "", body: str = "") -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


def fetched(url: str = "http://example.org/page", status: int | None = 200, page: str | None = None, **fetch) -> Fetch:
    return Fetch(url=url, status=status, page=read_page(page) if page is not None else read_page(html()), **fetch)


def verdict(probe: Fetch | None = None, **fetch):
    return judge(fetched(**fetch), NOW, cert_warning_days=30, probe=probe)


def error_page(title: str = "Not Found", status: int = 404) -> Fetch:
    return fetched(url=probe_url("http://example.org/page"), status=status, page=html(title, f"<h1>{title}</h1>"))


# Redirects


def test_an_https_upgrade_on_the_same_host_is_not_a_move():
    chain = (Hop("http://example.org/page", 301),)
    assert verdict(chain=chain, final_url="https://example.org/page").finding == "ok"


def test_adding_www_is_not_a_move():
    chain = (Hop("http://example.org/page", 301),)
    assert verdict(chain=chain, final_url="https://www.example.org/page").finding == "ok"


def test_a_temporary_redirect_to_another_host_is_not_a_move():
    chain = (Hop("http://example.org/page", 302),)
    assert verdict(chain=chain, final_url="https://cdn.example.net/page").finding == "ok"


def test_a_redirect_to_a_domain_marketplace_is_a_domain_for_sale():
    chain = (Hop("http://example.org/page", 302),)
    marketplace = "https://www.hugedomains.com/domain_profile.cfm?d=example"
    found = verdict(chain=chain, final_url=marketplace)
    assert (found.finding, found.outcome) == ("for-sale", "failure")
    assert "hugedomains.com" in found.detail


def test_a_redirect_to_a_not_found_page_is_a_soft_404():
    chain = (Hop("http://example.org/page", 302),)
    assert verdict(chain=chain, final_url="http://example.org/errors/404.html").finding == "soft-404"


def test_a_query_page_redirected_to_the_home_page_is_a_home_redirect():
    chain = (Hop("http://example.org/view.asp?id=4", 302),)
    found = verdict(url="http://example.org/view.asp?id=4", chain=chain, final_url="http://example.org/")
    assert found.finding == "home-redirect"


def test_a_home_page_redirected_to_its_index_is_ok():
    chain = (Hop("http://example.org/", 302),)
    assert verdict(url="http://example.org/", chain=chain, final_url="http://example.org/index.html").finding == "ok"


# Soft 404s: by comparison with the probe


def test_a_page_like_the_hosts_answer_for_a_missing_path_is_a_soft_404():
    template = html("Oops", "<h1>We looked everywhere</h1><p>Try the search box or go back to the start page.</p>" * 3)
    probe = fetched(url=probe_url("http://example.org/page"), page=template)
    found = verdict(page=template, probe=probe)
    assert (found.finding, found.outcome) == ("soft-404", "failure")
    assert "similarity 1.00" in found.detail


def test_a_page_unlike_the_hosts_error_page_is_ok_whatever_its_title_says():
    found = verdict(page=html("404 Not Found: what the status means", f"<p>{ARTICLE}</p>"), probe=error_page())
    assert found.finding == "ok"


def test_error_words_are_only_a_suspicion_when_the_host_could_not_be_probed():
    unanswered = Fetch(url=probe_url("http://example.org/page"), error_class="timeout", error="took too long")
    found = verdict(page=html("Seite nicht gefunden", "<h1>Fehler</h1>"), probe=unanswered)
    assert (found.finding, found.outcome) == ("suspect-404", "warning")


def test_a_short_page_titled_not_found_unlike_the_hosts_404_is_only_a_suspicion():
    found = verdict(page=html("Seite nicht gefunden", "<h1>Fehler</h1><p>Bitte nutzen Sie die Suche.</p>"),
                    probe=error_page())
    assert (found.finding, found.outcome) == ("suspect-404", "warning")
    assert "unlike this host's answer" in found.detail


def test_an_echo_of_the_path_does_not_hide_a_soft_404():
    def answer(path: str) -> str:
        words = f"<h1>Erreur</h1><p>La page {path} n'existe pas sur ce site web du ministère.</p>"
        return html("Page introuvable", words)

    probe = probe_url("http://example.org/docs/page")
    missing = fetched(url=probe, page=answer(probe.split("example.org")[1]))
    assert verdict(url="http://example.org/docs/page", page=answer("/docs/page"), probe=missing).finding == "soft-404"


def test_a_path_that_cannot_exist_landing_where_the_page_landed_is_a_soft_404_when_the_page_says_so():
    sorry = html("Sorry", "<h1>Sorry, this page is no longer available</h1><p>Try the search box above.</p>")
    probe = probe_url("http://example.org/page")
    missing = fetched(url=probe, chain=(Hop(probe, 302),), final_url="http://example.org/sorry", page=sorry)
    found = verdict(
        chain=(Hop("http://example.org/page", 302),), final_url="http://example.org/sorry", page=sorry, probe=missing
    )
    assert found.finding == "soft-404"


def test_a_javascript_shell_served_for_every_path_is_unknown_not_dead():
    shell = html("Portal", '<div id="root"></div><script src="/app.js"></script>')
    found = verdict(page=shell, probe=fetched(url=probe_url("http://example.org/page"), page=shell))
    assert (found.finding, found.outcome) == ("catch-all", "blocked")
    assert "the site answers every address with the same page" in found.detail


def test_the_probe_keeps_the_folder_and_the_extension():
    probe = probe_url("https://example.org/en/docs/toolkit.pdf?x=1")
    assert probe.startswith("https://example.org/en/docs/linkkeeper-probe-") and probe.endswith(".pdf")


# Pages that stand in for a vanished site


def test_a_web_servers_default_page_is_a_default_page():
    page = html("Welcome to nginx!", "<h1>Welcome to nginx!</h1><p>If you see this page, the nginx web server is"
                " successfully installed and working.</p>")
    found = verdict(page=page, headers={"server": "nginx/1.24.0"}, probe=error_page())
    assert (found.finding, found.outcome) == ("default-page", "failure")


def test_an_article_that_mentions_a_default_page_is_ok():
    page = html("Configuring the web server", f"<p>{ARTICLE} Welcome to nginx! is what a new server shows.</p>")
    assert verdict(page=page, headers={"server": "nginx"}, probe=error_page()).finding == "ok"


def test_a_lander_with_sponsored_links_from_a_parking_provider_is_parked():
    page = html("example.org", '<script src="https://www.google.com/adsense/domains/caf.js"></script>'
                "<h2>Related searches</h2><a>Cheap flights</a><a>Hotels</a>")
    assert verdict(page=page, probe=error_page()).finding == "parked"


def test_a_brand_protection_lander_answering_every_path_is_parked():
    lander = html("example.org", "<p>This domain is registered and protected by MarkMonitor.</p>")
    probe = fetched(url=probe_url("http://example.org/page"), page=lander)
    assert verdict(page=lander, probe=probe).finding == "parked"


def test_a_long_page_that_offers_something_for_sale_is_ok():
    assert verdict(page=html("Toolkit", f"<p>{ARTICLE} Old laptops for sale to schools.</p>")).finding == "ok"


def test_a_short_account_suspended_page_is_suspended():
    found = verdict(page=html("Account Suspended", "<h1>This Account has been suspended.</h1>"), probe=error_page())
    assert (found.finding, found.outcome) == ("suspended", "failure")


def test_a_coming_soon_page_is_a_placeholder():
    assert verdict(page=html("Coming soon", "<h1>Coming soon</h1><p>Stay tuned.</p>")).finding == "placeholder"


# Walls: never a failure


def test_a_401_is_a_wall_whatever_its_scheme():
    for scheme in ("Basic realm=intranet", "NTLM", "Negotiate"):
        found = verdict(status=401, headers={"www-authenticate": scheme})
        assert (found.finding, found.outcome) == ("auth-required", "blocked")


def test_a_403_from_a_cdn_is_a_wall():
    found = verdict(status=403, headers={"server": "cloudflare", "cf-ray": "8a1b2c3d4e5f-SYD"})
    assert (found.finding, found.outcome) == ("waf-blocked", "blocked")
    assert "cloudflare" in found.detail and "a person must look" in found.detail


def test_an_akamai_access_denied_page_is_a_wall_by_its_words():
    page = html("Access Denied", "<h1>Access Denied</h1>You don't have permission. Reference #18.2f3e4d5c.1700000000")
    assert verdict(status=403, page=page).finding == "waf-blocked"


def test_a_plain_403_on_first_contact_is_unknown_not_dead():
    found = verdict(status=403, page=html("403 Forbidden", "<h1>Forbidden</h1>"), headers={"server": "Apache"})
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "first contact" in found.detail


def test_a_datadome_403_is_a_bot_challenge():
    assert verdict(status=403, headers={"x-datadome": "protected"}).outcome == "blocked"


def test_a_challenge_interstitial_served_with_200_is_a_wall():
    page = html("Just a moment...", '<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1"></script>'
                "Checking your browser before accessing the site.")
    assert verdict(page=page).finding == "bot-challenge"


def test_a_deep_link_that_lands_on_a_sign_in_page_is_a_wall():
    chain = (Hop("http://example.org/reports/2019", 302),)
    found = verdict(url="http://example.org/reports/2019", chain=chain, final_url="http://example.org/login?next=/r")
    assert (found.finding, found.outcome) == ("sign-in", "blocked")


def test_a_login_page_that_is_the_resource_itself_is_ok():
    page = html("Log in", '<h1>Log in</h1><form><input type="password"></form>')
    assert verdict(url="http://example.org/login", page=page).finding == "ok"


def test_a_429_without_a_bot_wall_is_rate_limited_not_a_failure():
    found = verdict(status=429)
    assert (found.finding, found.outcome) == ("rate-limited", "blocked")


# Transfer errors and certificates


def test_a_certificate_expiring_after_the_warning_window_is_ok():
    assert verdict(cert_expires=NOW + timedelta(days=90)).finding == "ok"


def test_a_certificate_that_expired_is_a_tls_failure():
    found = verdict(cert_expires=NOW - timedelta(days=1))
    assert (found.finding, found.error_class) == ("tls", "tls")


@pytest.mark.parametrize(
    ("error_class", "error", "said"),
    [
        ("refused", "Connection was refused by other side: 111: Connection refused.", "connection refused"),
        ("dns", "DNS lookup failed: no results for hostname lookup: example.org.", "host name not found: example.org"),
        ("timeout", "Getting http://example.org/page took longer than 2.0 seconds.", "no answer within 2 s"),
        ("connection", "Connection was closed cleanly.", "the server closed the connection without answering"),
        ("tls", "certificate verify failed", "TLS handshake failed: certificate verify failed"),
    ],
    ids=["refused", "dns", "timeout", "closed", "tls"],
)
def test_a_network_error_is_said_once_in_plain_words(error_class, error, said):
    """The words Twisted and Scrapy repeat are dropped; what they add (host, seconds, TLS reason) stays."""
    found = verdict(status=None, error_class=error_class, error=error)
    assert (found.outcome, found.error_class, found.detail) == ("failure", error_class, said)


def test_server_text_in_a_reason_loses_its_control_characters():
    page = html("Sign in\x1b]0;owned\x07\x1b[2J", '<h1>Sign in</h1><form><input type="password"></form>')
    found = verdict(page=page)
    assert found.finding == "sign-in" and "owned" in found.detail
    assert "\x1b" not in found.detail and "\x07" not in found.detail


# Which pages are compared with the host's answer for a path that cannot exist


CHALLENGE = html("Just a moment...", '<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1"></script>'
                 "Checking your browser before accessing the site.")
SERVED = "2026-09-01T06:17:00+00:00"


@pytest.mark.parametrize("status", [200, 203, 299], ids=["200", "203", "last-2xx"])
def test_a_page_that_answers_with_html_is_probed(status):
    assert needs_probe(fetched(status=status, page=html("Report", f"<p>{ARTICLE}</p>")))


@pytest.mark.parametrize("status", [199, 300, 304, 404, 500], ids=["1xx", "300", "304", "404", "500"])
def test_a_page_that_answers_with_another_status_is_not_probed(status):
    """An error status is the server's own word; only a page that answers can be an error page in disguise."""
    assert not needs_probe(fetched(status=status, page=html("Report", f"<p>{ARTICLE}</p>")))


def test_a_document_that_is_no_html_page_is_not_probed():
    assert not needs_probe(fetched(page="", headers={"content-type": "application/pdf"}))


@pytest.mark.parametrize("status", [403, 406, 451], ids=["403", "406", "451"])
def test_a_refusal_of_a_page_that_served_before_is_probed_and_one_on_first_contact_is_not(status):
    refused = fetched(status=status, page="")
    assert needs_probe(refused, SERVED) and not needs_probe(refused)


def test_a_fetch_that_failed_is_not_probed_whatever_it_received():
    assert not needs_probe(fetched(page=html("Report", f"<p>{ARTICLE}</p>"), error_class="connection", error="cut"))


def test_a_fetch_without_a_status_is_not_probed():
    assert not needs_probe(fetched(status=None, page=html("Report", f"<p>{ARTICLE}</p>")))


@pytest.mark.parametrize("landed", ["mailto:info@example.org", "ftp://files.example.org/report.html"],
                         ids=["mailto", "ftp"])
def test_a_fetch_that_ended_off_the_web_is_not_probed(landed):
    """The probe asks a web server for a path beside the page: only the web has one to ask."""
    fetch = fetched(page=html("Report", f"<p>{ARTICLE}</p>"), final_url=landed, chain=(Hop(landed, 302),))
    assert not needs_probe(fetch, SERVED)


def test_a_wall_is_never_probed():
    cdn = {"server": "cloudflare", "cf-ray": "8a1b2c3d4e5f-SYD"}
    assert not needs_probe(fetched(page=CHALLENGE))
    assert not needs_probe(fetched(status=403, headers=cdn), SERVED)


# The order of the rules: failures, walls, error statuses, then what the page says


def test_a_failed_fetch_is_judged_by_its_failure_whatever_it_received():
    found = verdict(page=html("Report", f"<p>{ARTICLE}</p>"), error_class="connection", error="Connection lost.")
    assert (found.finding, found.outcome) == ("connection", "failure")


def test_a_mail_address_whose_domain_takes_mail_is_ok_and_names_its_servers():
    mail = Fetch(url="mailto:info@example.org", final_url="mailto:info@example.org",
                 mail_servers=("mx1.example.org", "mx2.example.org"))
    found = judge(mail, NOW, cert_warning_days=30)
    assert (found.finding, found.detail) == ("ok", "mail servers: mx1.example.org, mx2.example.org")


def test_a_mail_address_whose_domain_takes_no_mail_fails():
    mail = Fetch(url="mailto:info@example.org", final_url="mailto:info@example.org", error_class="dns",
                 error="DNS lookup failed: no results for hostname lookup: example.org.")
    assert judge(mail, NOW, cert_warning_days=30).finding == "dns"


@pytest.mark.parametrize(
    ("status", "page", "finding"),
    [
        (403, html("Test Page for the Apache HTTP Server on Red Hat", "<h1>Test Page</h1>"), "default-page"),
        (503, html("Account Suspended", "<h1>This Account has been suspended.</h1>"), "suspended"),
    ],
    ids=["403-test-page", "503-suspended"],
)
def test_a_refusal_or_server_error_is_named_by_the_page_it_serves(status, page, finding):
    assert verdict(status=status, page=page, headers={"server": "Apache"}).finding == finding


def test_a_404_is_the_servers_own_word_whatever_its_page_calls_itself():
    found = verdict(status=404, page=html("Account Suspended", "<h1>This Account has been suspended.</h1>"))
    assert (found.finding, found.detail) == ("http", "404 Not Found")


def test_a_wall_comes_before_the_error_status_it_is_served_with():
    assert verdict(status=503, page=CHALLENGE).finding == "bot-challenge"


@pytest.mark.parametrize(("status", "detail"), [(300, "300 Multiple Choices"), (404, "404 Not Found"),
                                                (410, "410 Gone"), (599, "HTTP 599")],
                         ids=["300", "404", "410", "unknown-5xx"])
def test_a_final_status_from_300_is_an_http_error_named_by_its_status(status, detail):
    found = verdict(status=status, page=html("Report", f"<p>{ARTICLE}</p>"))
    assert (found.finding, found.outcome, found.detail) == ("http", "failure", detail)


def test_a_2xx_page_that_says_what_it_should_is_ok_with_its_status():
    found = verdict(status=203, page=html("Report", f"<p>{ARTICLE}</p>"))
    assert (found.finding, found.detail) == ("ok", "203 Non-Authoritative Information")


def test_an_error_status_comes_before_what_its_page_says():
    """A 404 with the host's error page is the server's word, not a soft 404 found by comparison."""
    page = html("Oops", "<h1>We looked everywhere</h1><p>Try the search box or go back to the start page.</p>")
    probe = fetched(url=probe_url("http://example.org/page"), status=404, page=page)
    assert verdict(status=404, page=page, probe=probe).finding == "http"


def test_a_host_not_found_after_a_redirect_is_the_redirects_target():
    chain = (Hop("http://example.org/page", 302),)
    found = verdict(status=None, chain=chain, final_url="http://gone.example.net/page", error_class="dns",
                    error="DNS lookup failed")
    assert (found.finding, found.detail) == ("dns", "host name not found: gone.example.net")


def test_what_a_page_is_comes_before_its_certificate_which_its_reason_names():
    page = html("example.org", '<script src="https://www.google.com/adsense/domains/caf.js"></script>'
                "<h2>Related searches</h2><a>Cheap flights</a><a>Hotels</a>")
    found = verdict(page=page, probe=error_page(), cert_expires=NOW - timedelta(days=1))
    assert found.finding == "parked"
    assert found.detail.endswith("; TLS certificate expired on 2026-11-28")


def test_an_expired_certificate_on_a_suspected_404_is_a_tls_failure_naming_both():
    found = verdict(page=html("Page not found", "<h1>Page not found</h1>"), cert_expires=NOW - timedelta(days=1))
    assert (found.finding, found.outcome) == ("tls", "failure")
    assert found.detail.startswith("TLS certificate expired on 2026-11-28; ")
    assert "reads like an error page ('not found' in the title" in found.detail


def test_an_expired_certificate_behind_a_wall_or_an_error_status_is_named():
    login = verdict(status=401, page=html("Sign in"), cert_expires=NOW - timedelta(days=1))
    assert login.finding == "auth-required"
    assert login.detail.endswith("; TLS certificate expired on 2026-11-28")
    missing = verdict(status=404, cert_expires=NOW - timedelta(days=1))
    assert (missing.finding, missing.detail) == ("http", "404 Not Found; TLS certificate expired on 2026-11-28")


def test_a_certificate_not_valid_yet_is_a_tls_failure():
    found = verdict(cert_valid_from=NOW + timedelta(days=3), cert_expires=NOW + timedelta(days=90))
    assert (found.finding, found.outcome) == ("tls", "failure")
    assert found.detail == "TLS certificate not valid until 2026-12-02"


def test_a_certificate_valid_from_this_very_second_is_valid():
    assert verdict(cert_valid_from=NOW, cert_expires=NOW + timedelta(days=90)).finding == "ok"


# Moves: only a permanent redirect to another site


def moved_away(*statuses: int, cert_expires: datetime | None = None):
    hops = (Hop("http://example.org/page", statuses[0]),
            *(Hop(f"http://example.org/step{n}", status) for n, status in enumerate(statuses[1:])))
    return verdict(chain=hops, final_url="https://new.example.net/page", cert_expires=cert_expires)


@pytest.mark.parametrize("status", [301, 308], ids=["301", "308"])
def test_a_permanent_redirect_to_another_site_is_a_move(status):
    found = moved_away(status)
    assert (found.finding, found.outcome) == ("moved", "warning")
    assert (found.detail, found.moved_to) == ("moved permanently to https://new.example.net/page",
                                              "https://new.example.net/page")


@pytest.mark.parametrize("status", [302, 303, 307], ids=["302", "303", "307"])
def test_a_temporary_redirect_to_another_site_is_ok(status):
    assert moved_away(status).finding == "ok"


def test_a_permanent_redirect_anywhere_on_the_way_to_another_site_is_a_move():
    assert moved_away(302, 301).finding == "moved"


def test_an_expired_certificate_comes_before_a_move_naming_it():
    found = moved_away(301, cert_expires=NOW - timedelta(days=1))
    assert (found.finding, found.detail) == (
        "tls", "TLS certificate expired on 2026-11-28; moved permanently to https://new.example.net/page"
    )


def test_a_move_comes_before_an_expiring_certificate():
    assert moved_away(301, cert_expires=NOW + timedelta(days=10)).finding == "moved"


# Certificates: expired from the very second they expire, expiring within the warning window


def test_a_certificate_that_expires_this_very_second_has_expired():
    found = verdict(cert_expires=NOW)
    assert (found.finding, found.detail) == ("tls", "TLS certificate expired on 2026-11-29")


@pytest.mark.parametrize(
    ("expires", "detail"),
    [
        (NOW + timedelta(seconds=1), "TLS certificate expires on 2026-11-29 (in 0 days)"),
        (NOW + timedelta(days=10), "TLS certificate expires on 2026-12-09 (in 10 days)"),
        (NOW + timedelta(days=30), "TLS certificate expires on 2026-12-29 (in 30 days)"),
    ],
    ids=["a-second-left", "ten-days-left", "at-the-warning"],
)
def test_a_certificate_that_expires_within_the_warning_days_is_expiring(expires, detail):
    found = verdict(cert_expires=expires)
    assert (found.finding, found.outcome, found.detail) == ("cert-expiring", "warning", detail)


def test_a_certificate_that_expires_a_second_after_the_warning_days_is_ok():
    assert verdict(cert_expires=NOW + timedelta(days=30, seconds=1)).finding == "ok"


def test_a_status_line_is_the_code_and_its_phrase_for_people_and_on_the_wire():
    """One status line for the verdicts people read and for a WARC record's response line (archive.warc)."""
    assert status_line(404) == status_line(404, on_the_wire=True) == "404 Not Found"
    assert status_line(599) == "HTTP 599"
    assert status_line(599, on_the_wire=True) == "599"
