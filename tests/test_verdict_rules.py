"""The verdict rules on their own: what one fetched response means, without a network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.verdict import Fetch, Hop, judge

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def verdict(**fetch):
    fetch.setdefault("url", "http://example.org/page")
    fetch.setdefault("status", 200)
    return judge(Fetch(**fetch), NOW, cert_warning_days=30)


def test_an_https_upgrade_on_the_same_host_is_not_a_move():
    chain = (Hop("http://example.org/page", 301),)
    assert verdict(chain=chain, final_url="https://example.org/page").finding == "ok"


def test_adding_www_is_not_a_move():
    chain = (Hop("http://example.org/page", 301),)
    assert verdict(chain=chain, final_url="https://www.example.org/page").finding == "ok"


def test_a_temporary_redirect_to_another_host_is_not_a_move():
    chain = (Hop("http://example.org/page", 302),)
    assert verdict(chain=chain, final_url="https://cdn.example.net/page").finding == "ok"


def test_a_redirect_to_a_domain_marketplace_is_parked():
    chain = (Hop("http://example.org/page", 302),)
    marketplace = "https://www.hugedomains.com/domain_profile.cfm?d=example"
    assert verdict(chain=chain, final_url=marketplace).finding == "parked"


def test_a_redirect_to_a_not_found_page_is_a_soft_404():
    chain = (Hop("http://example.org/page", 302),)
    assert verdict(chain=chain, final_url="http://example.org/errors/404.html").finding == "soft-404"


def test_a_heading_that_says_not_found_is_a_soft_404():
    assert verdict(title="UNPAN", heading="Sorry, this page could not be found").finding == "soft-404"


def test_a_page_that_merely_mentions_errors_is_ok():
    assert verdict(title="Error handling in e-government", text="<p>how to report a 404</p>").finding == "ok"


def test_a_query_page_redirected_to_the_home_page_is_a_home_redirect():
    chain = (Hop("http://example.org/view.asp?id=4", 302),)
    found = verdict(url="http://example.org/view.asp?id=4", chain=chain, final_url="http://example.org/")
    assert found.finding == "home-redirect"


def test_a_home_page_redirected_to_its_index_is_ok():
    chain = (Hop("http://example.org/", 302),)
    assert verdict(url="http://example.org/", chain=chain, final_url="http://example.org/index.html").finding == "ok"


def test_a_429_without_a_bot_wall_is_rate_limited_not_a_failure():
    found = verdict(status=429)
    assert (found.finding, found.outcome) == ("rate-limited", "blocked")


def test_a_plain_403_is_a_failure():
    assert verdict(status=403, title="Forbidden").outcome == "failure"


def test_a_datadome_403_is_a_bot_challenge():
    assert verdict(status=403, headers={"x-datadome": "protected"}).finding == "bot-challenge"


def test_a_certificate_expiring_after_the_warning_window_is_ok():
    assert verdict(cert_expires=NOW + timedelta(days=90)).finding == "ok"


def test_a_certificate_that_expired_is_a_tls_failure():
    found = verdict(cert_expires=NOW - timedelta(days=1))
    assert (found.finding, found.error_class) == ("tls", "tls")


def test_a_network_error_keeps_its_class_and_message():
    found = verdict(status=None, error_class="dns", error="no such host")
    assert (found.outcome, found.error_class, found.detail) == ("failure", "dns", "host name not found: no such host")
