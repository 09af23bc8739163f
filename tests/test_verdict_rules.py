"""The verdict rules on their own: what one fetched response means, without a network.

`tests/test_detection_corpus.py` measures the same rules on a corpus of realistic pages served on
loopback; these tests pin one rule each, with the smallest page that shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.fetched import Fetch, Hop
from crawler.page import read_page
from crawler.soft404 import probe_url
from crawler.verdict import judge

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
