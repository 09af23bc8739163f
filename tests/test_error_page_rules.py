"""Pages that stand in for a vanished site: every rule of crawler/rules/error_pages.py, one page each.

A parked, for-sale, suspended, default or placeholder verdict can lead to `dead`, and people act on it, so
words alone must never decide: each rule is shown with the page it alone decides and, beside it, the live
page (an article that merely mentions "for sale" or "coming soon") it must leave alone. The rules are pure
functions of a fetch and of the probe's evidence, so the pages are small HTML strings judged in-process.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.rules.error_pages import judge_error_page, judge_refused_page
from crawler.rules.fetched import Fetch, Hop
from crawler.rules.page import read_page
from crawler.rules.soft404 import probe_url
from crawler.rules.verdict import judge

URL = "https://example.org/programmes/2019/toolkit"
NOW = datetime(2026, 12, 7, tzinfo=UTC)
# What crawler.rules.soft404.similarity_evidence says when the probe got the very same page.
HOST_WIDE = "the whole host answers with it (a path that cannot exist gets the very same page)"
# What crawler.rules.walls.stand_in_evidence says of a wall's page.
STAND_IN = "a page that says are you over 18"
# The limits are written out, not imported, so that a changed limit fails here: a stand-in page says at most 250
# words, a placeholder at most 100, and a page of fewer than 12 gives a reader nothing to read. A long page:
LONG = 300
SENTENCE = "The ministry published its island toolkit to help governments plan their digital services together."


def html(title: str = "", body: str = "", head: str = "") -> str:
    return f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def filler(count: int) -> str:
    """`count` words that say nothing of any kind of error page."""
    words = SENTENCE.split()
    return " ".join(words[i % len(words)] for i in range(count))


def fetched(page: str, url: str = URL, status: int = 200, **fetch) -> Fetch:
    return Fetch(url=url, status=status, page=read_page(page), **fetch)


def judged(page: str, host_wide: str | None = None, stand_in: str | None = None, **fetch):
    """The verdict on `page`; `host_wide` when the probe got the same page, `stand_in` when it is a wall's."""
    return judge_error_page(fetched(page, **fetch), host_wide, stand_in)


def page_of(count: int, title: str = "", says: str = "", markup: str = "") -> str:
    """A page of exactly `count` words of text (the title is not counted), `says` among them."""
    said = len(says.split())
    return html(title, f"<p>{says} {filler(count - said)}</p>{markup}")


def redirected(to: str) -> Fetch:
    """Sent elsewhere, to a long page: only where the link landed can make it a lander."""
    return fetched(page_of(LONG), chain=(Hop(URL, 302),), final_url=to)


def checked(page: str, url: str = URL, **fetch):
    """The whole verdict on a page that only its own address gets: the host answers a missing path with a 404."""
    missing = Fetch(url=probe_url(url), status=404, page=read_page(html("Not Found", "<h1>Not Found</h1>")))
    return judge(fetched(page, url=url, **fetch), NOW, cert_warning_days=30, probe=missing)


def assert_verdict(found, finding: str, *said: str):
    assert found is not None, f"expected {finding}, got nothing"
    assert found.finding == finding, found.detail
    for words in said:
        assert words in found.detail, found.detail


# Redirected to a domain marketplace or a parking service


@pytest.mark.parametrize(
    ("landing", "provider"),
    [
        ("https://dan.com/buy-domain/example.org", "dan.com"),
        ("https://www.afternic.com/domain/example.org", "afternic.com"),
        ("https://sedo.com/search/details/?domain=example.org", "sedo.com"),
    ],
    ids=["marketplace", "marketplace-subdomain", "sedo"],
)
def test_a_link_redirected_to_a_domain_marketplace_is_for_sale(landing, provider):
    found = judge_error_page(redirected(landing), None)
    assert_verdict(found, "for-sale", f"domain for sale: redirected to {provider}")


@pytest.mark.parametrize(
    ("landing", "provider"),
    [
        ("https://sedoparking.com/frmpark/example.org", "sedoparking.com"),
        ("https://www.bodis.com/?domain=example.org", "bodis.com"),
        ("https://img1.wsimg.com/parking/lander?domain=example.org", "wsimg.com/parking"),
    ],
    ids=["parking-service", "parking-subdomain", "provider-with-a-path"],
)
def test_a_link_redirected_to_a_parking_service_is_parked(landing, provider):
    found = judge_error_page(redirected(landing), None)
    assert_verdict(found, "parked", f"parked domain: redirected to {provider}")


def test_a_host_whose_name_only_ends_like_a_marketplace_is_no_marketplace():
    assert judge_error_page(redirected("https://jordan.com/blog/toolkit"), None) is None


def test_a_marketplaces_own_article_reached_without_a_redirect_is_judged_by_its_page():
    fetch = fetched(page_of(300, "Pricing a domain name"), url="https://dan.com/blog/pricing-a-domain")
    assert judge_error_page(fetch, None) is None


# A page of no text whose script sends readers to a lander


@pytest.mark.parametrize(
    ("script", "lander"),
    [
        ('window.location.href = "https://sedoparking.com/search?d=example.org";', "sedoparking.com"),
        ('location.replace("https://www.bodis.com/lander");', "bodis.com"),
        ('window.location = "/lander";', "'/lander'"),
    ],
    ids=["to-a-provider", "provider-before-marker", "to-a-lander-path"],
)
def test_a_page_of_no_text_whose_script_sends_readers_to_a_lander_is_parked(script, lander):
    found = judged(html("", f"<script>{script}</script>"))
    assert_verdict(found, "parked", f"a page of no text whose script sends readers to {lander}")


def test_a_script_that_sends_readers_to_the_sites_own_page_is_no_lander():
    assert judged(html("", '<script>window.location.href = "/en/home";</script>')) is None


def test_a_parking_providers_code_without_a_script_that_sends_readers_on_is_no_redirect():
    assert judged(html("", '<script src="https://sedoparking.com/js/ads.js"></script>')) is None


@pytest.mark.parametrize(
    ("count", "parked"),
    [(11, True), (12, False)],
    ids=["below-too-few-words", "at-too-few-words"],
)
def test_a_script_to_a_lander_counts_only_on_a_page_of_almost_no_text(count, parked):
    found = judged(page_of(count, markup='<script>location.href = "https://sedoparking.com/x";</script>'))
    assert (found is not None and found.finding == "parked") == parked, found


# What a page calls itself: its title or a heading, with one sign of another kind


@pytest.mark.parametrize(
    ("title", "finding", "label"),
    [
        ("Account Suspended", "suspended", "hosting account suspended: titled 'account suspended'"),
        ("Welcome to nginx!", "default-page", "a web server's default page: titled 'welcome to nginx'"),
        ("This domain is parked", "parked", "parked domain: titled 'domain is parked'"),
        ("This domain is for sale", "for-sale", "domain for sale: titled 'domain is for sale'"),
        ("Coming soon", "placeholder", "placeholder page: titled 'coming soon'"),
    ],
    ids=["suspended", "default-page", "parked", "for-sale", "placeholder"],
)
def test_a_short_page_titled_as_a_stand_in_is_one(title, finding, label):
    found = judged(page_of(40, title))
    assert_verdict(found, finding, label, "a short page (40 words)")


def test_a_heading_names_a_page_as_its_title_does():
    found = judged(html("example.org", f"<h1>Account suspended</h1><p>{filler(20)}</p>"))
    assert_verdict(found, "suspended", "titled 'account suspended'", "a short page (22 words)")


def test_a_long_page_titled_as_a_stand_in_with_no_other_sign_is_content():
    assert judged(page_of(LONG, "Coming soon: what to expect")) is None


def test_a_long_page_titled_as_a_stand_in_that_every_address_gets_is_one():
    found = judged(page_of(LONG, "Account suspended"), HOST_WIDE)
    assert_verdict(found, "suspended", "titled 'account suspended'", HOST_WIDE)
    assert "a short page" not in found.detail


def test_what_a_page_calls_itself_outweighs_what_its_text_mentions():
    page = page_of(40, "This domain is for sale", "Questions? Contact your hosting provider.")
    assert_verdict(judged(page, HOST_WIDE), "for-sale", "titled 'domain is for sale'")


# What a page only says in its text: two signs of other kinds must agree


def test_words_on_a_short_page_with_no_other_sign_decide_nothing():
    assert judged(page_of(40, "", "This account has been suspended.")) is None


def test_words_on_a_short_page_that_every_address_gets_decide():
    found = judged(page_of(40, "example.org", "This account has been suspended."), HOST_WIDE)
    assert_verdict(found, "suspended")
    said, *signs = found.detail.split("; ")
    assert said == "hosting account suspended: says 'account has been suspended'"
    assert signs == [HOST_WIDE, "a short page (40 words)"]


def test_words_on_a_short_page_with_the_kinds_own_sign_decide():
    page = page_of(
        30, "example.org", "Related searches", '<script src="https://x.test/adsense/domains/caf.js"></script>'
    )
    assert_verdict(judged(page), "parked", "says 'related searches'", "code from adsense/domains/caf.js")


def test_a_short_page_every_address_gets_that_names_no_kind_is_left_to_the_other_rules():
    assert judged(page_of(40, "Ministry of Fisheries"), HOST_WIDE) is None


def test_a_long_page_is_judged_by_its_title_alone_whatever_its_text_and_code_say():
    markup = '<script src="https://sedoparking.com/js/ads.js"></script>'
    page = page_of(LONG, "Ministry of Fisheries", "Related searches", markup)
    assert judged(page, HOST_WIDE) is None


# A wall's page (a stand-in) outweighs words alone, not the kind's own sign


def test_a_walls_page_that_mentions_a_kinds_words_is_not_that_kind():
    page = page_of(30, "Island Brewing", "Our beers for sale are for adults.")
    assert judged(page, HOST_WIDE, STAND_IN) is None


def test_the_same_page_that_is_no_walls_is_judged_by_its_words():
    page = page_of(30, "Island Brewing", "Our beers for sale are for adults.")
    assert_verdict(judged(page, HOST_WIDE), "for-sale", "says 'for sale'")


def test_a_walls_page_with_the_kinds_own_sign_is_that_kind():
    page = page_of(30, "example.org", "Buy this domain today.", '<a href="https://dan.com/buy-domain/x">Buy</a>')
    assert_verdict(judged(page, HOST_WIDE, STAND_IN), "for-sale", "says 'buy this domain'", "code from dan.com")


def test_a_walls_page_titled_as_a_stand_in_is_judged_by_its_title():
    assert_verdict(judged(page_of(20, "Coming soon"), HOST_WIDE, STAND_IN), "placeholder", "titled 'coming soon'")


# How short is short: 250 words, and 100 for a placeholder


@pytest.mark.parametrize(
    ("count", "finding"),
    [(249, "suspended"), (250, "suspended"), (251, None)],
    ids=["one-below", "at-the-limit", "one-above"],
)
def test_a_titled_page_is_short_up_to_the_short_page_limit(count, finding):
    found = judged(page_of(count, "Account suspended"))
    assert (found and found.finding) == finding
    if found:
        assert f"a short page ({count} words)" in found.detail


@pytest.mark.parametrize(
    ("count", "finding"),
    [(250, "suspended"), (251, None)],
    ids=["at-the-limit", "one-above"],
)
def test_a_page_that_only_says_it_is_a_stand_in_is_read_up_to_the_short_page_limit(count, finding):
    found = judged(page_of(count, "example.org", "This account has been suspended."), HOST_WIDE)
    assert (found and found.finding) == finding


@pytest.mark.parametrize(
    ("count", "finding"),
    [(99, "placeholder"), (100, "placeholder"), (101, None)],
    ids=["one-below", "at-the-limit", "one-above"],
)
def test_a_placeholder_is_short_up_to_its_own_lower_limit(count, finding):
    found = judged(page_of(count, "Coming soon"))
    assert (found and found.finding) == finding
    if found:
        assert f"a short page ({count} words)" in found.detail


def test_a_placeholder_longer_than_its_limit_that_every_address_gets_is_one():
    found = judged(page_of(101, "Coming soon"), HOST_WIDE)
    assert_verdict(found, "placeholder", "titled 'coming soon'", HOST_WIDE)
    assert "a short page" not in found.detail


def test_a_page_longer_than_the_placeholder_limit_that_only_says_coming_soon_is_no_placeholder():
    assert judged(page_of(120, "example.org", "Coming soon."), HOST_WIDE) is None


def test_the_placeholder_limit_is_the_placeholders_alone():
    found = judged(page_of(150, "Account suspended"))
    assert_verdict(found, "suspended", "a short page (150 words)")


# A server's default page: its title is the phrase, and the server or its images agree


def test_a_long_default_page_named_by_its_server_is_a_default_page():
    page = page_of(LONG, "Welcome to nginx!")
    assert_verdict(judged(page, headers={"server": "nginx/1.24.0"}), "default-page", "server: 'nginx/1.24.0'")


def test_the_server_header_is_read_whatever_its_case():
    page = page_of(LONG, "IIS Windows Server")
    found = judged(page, headers={"server": "Microsoft-IIS/10.0"})
    assert_verdict(found, "default-page", "server: 'microsoft-iis/10.0'")


def test_the_servers_own_words_anywhere_on_the_page_agree_with_a_generic_title():
    page = page_of(LONG, "Web server's default page", "Welcome to nginx!")
    assert_verdict(judged(page, headers={"server": "nginx"}), "default-page", "server: 'nginx'")


@pytest.mark.parametrize(
    ("title", "server"),
    [("Welcome to nginx!", "Apache/2.4.57"), ("Default Web Site Page", "cloudflare")],
    ids=["another-servers-page", "a-generic-page"],
)
def test_a_server_header_agrees_only_with_its_own_servers_default_page(title, server):
    assert judged(page_of(LONG, title), headers={"server": server}) is None


def test_a_default_pages_images_agree_with_its_title():
    logo = '<img src="/icons/ubuntu-logo.png">'
    page = page_of(LONG, "Apache2 Ubuntu Default Page: It works", markup=logo)
    assert_verdict(judged(page), "default-page", "marker '/icons/ubuntu-logo.png'")


@pytest.mark.parametrize(
    ("title", "finding"),
    [
        ("Welcome to nginx - Ministry of Fisheries", "default-page"),  # the phrase fills 16 of 40 characters
        ("Welcome to nginx - Ministry of Fisheries!", None),  # 16 of 41: an article quoting it
    ],
    ids=["phrase-fills-the-share", "phrase-short-of-the-share"],
)
def test_a_default_pages_phrase_must_fill_its_share_of_the_title(title, finding):
    found = judged(page_of(LONG, title), headers={"server": "nginx"})
    assert (found and found.finding) == finding


def test_the_title_share_is_the_default_pages_alone():
    title = "Notice from your provider: this account has been suspended for unpaid invoices"
    assert_verdict(judged(page_of(40, title)), "suspended", "titled 'account has been suspended'")


# The kinds' own signs: a provider's code or marker, the suspended account's address


def test_a_parking_marker_agrees_with_a_landers_words():
    page = page_of(30, "example.org", "Sponsored listings", '<script>window.park = "ab12";</script>')
    assert_verdict(judged(page), "parked", "says 'sponsored listings'", "marker 'window.park'")


def test_a_long_page_titled_suspended_served_from_the_hosts_suspended_address_is_suspended():
    page = page_of(LONG, "Account suspended")
    found = judged(page, url="https://example.org/cgi-sys/suspendedpage.cgi")
    assert_verdict(found, "suspended", "served from '/cgi-sys/suspendedpage.cgi'")


def test_a_link_redirected_to_the_hosts_suspended_address_is_judged_by_where_it_landed():
    page = page_of(30, "example.org", "Please contact your hosting provider.")
    found = judged(page, chain=(Hop(URL, 302),), final_url="https://example.org/cgi-sys/suspendedpage.cgi")
    assert_verdict(found, "suspended", "says 'contact your hosting'", "served from '/cgi-sys/suspendedpage.cgi'")


@pytest.mark.parametrize(
    ("url", "finding"),
    [("https://example.org/suspended.html", "suspended"), ("https://example.org/about.html", None)],
    ids=["suspended-address", "ordinary-address"],
)
def test_a_short_page_asking_readers_to_contact_the_host_is_suspended_only_at_a_suspended_address(url, finding):
    found = judged(page_of(30, "example.org", "Please contact your hosting provider."), url=url)
    assert (found and found.finding) == finding


# Refused pages (403, 503): a suspended account's page or a server's test page, by its title


def test_a_short_suspended_page_served_with_403_is_suspended():
    found = judge_refused_page(fetched(page_of(20, "Account suspended"), status=403))
    assert_verdict(found, "suspended", "titled 'account suspended'", "a short page (20 words)")


def test_a_servers_test_page_served_with_403_is_a_default_page():
    """Red Hat's `welcome.conf`: the title quotes the phrase among other words; the heading is the phrase."""
    title = "Test Page for the Apache HTTP Server on Red Hat Enterprise Linux"
    page = html(title, f"<h1>Red Hat Enterprise Linux Test Page</h1><p>{filler(LONG)}</p>")
    found = judge_refused_page(fetched(page, status=403, headers={"server": "Apache/2.4.57 (Red Hat)"}))
    assert_verdict(found, "default-page", "titled 'red hat enterprise linux test page'", "server: 'apache/2.4.57")


@pytest.mark.parametrize("title", ["This domain is for sale", "This domain is parked", "Coming soon"])
def test_a_refused_page_is_never_a_lander_or_a_placeholder(title):
    assert judge_refused_page(fetched(page_of(20, title), status=403)) is None


def test_a_refused_page_whose_title_only_quotes_a_default_pages_phrase_is_no_default_page():
    page = page_of(20, "Why your new server still says Welcome to nginx")
    assert judge_refused_page(fetched(page, status=403, headers={"server": "nginx"})) is None


def test_a_refused_page_that_only_mentions_a_suspension_is_no_suspended_page():
    assert judge_refused_page(fetched(page_of(20, "Forbidden", "The account has been suspended."), status=403)) is None


def test_a_long_refused_page_titled_suspended_needs_its_own_sign():
    page = page_of(LONG, "Account suspended")
    assert judge_refused_page(fetched(page, status=403)) is None
    found = judge_refused_page(fetched(page, url="https://example.org/cgi-sys/suspendedpage.cgi", status=503))
    assert_verdict(found, "suspended", "served from '/cgi-sys/suspendedpage.cgi'")


# Live pages that mention the words


@pytest.mark.parametrize(
    ("title", "says"),
    [
        ("Island markets", "Fishing boats for sale are listed every Friday."),
        ("Island markets", "The new harbour market is coming soon."),
        ("Ferry timetable", "The account of the ferry company was suspended by the regulator last year."),
        ("Registering a domain", "This domain is reserved for government agencies and the domain owner is the state."),
        ("Server guide", "Welcome to nginx! is what a new server shows before you configure it."),
    ],
    ids=["for-sale", "coming-soon", "suspended", "domain", "default-page"],
)
def test_a_live_article_that_mentions_a_stand_ins_words_is_ok(title, says):
    found = checked(page_of(LONG + 50, title, says), headers={"server": "nginx"})
    assert found.finding == "ok", found.detail


@pytest.mark.parametrize("title", ["Boat for sale", "House for sale in Apia", "Se vende terreno"])
def test_a_short_classified_advertisement_titled_for_sale_is_ok(title):
    """A sale's title makes a domain sale only when it names the domain, or a domain: an advertisement's is
    short too, and would otherwise fail the link as a domain for sale."""
    found = checked(page_of(80, title, "A 6 metre boat with its outboard motor; call Sione in the evening."))
    assert found.finding == "ok", found.detail


@pytest.mark.parametrize(
    "title", ["islandclimatefund.org is for sale", "Este dominio está en venta", "该域名正在出售"],
    ids=["naming-the-domain", "saying-domain-in-spanish", "saying-domain-in-chinese"],
)
def test_a_short_page_titled_for_the_sale_of_a_domain_is_for_sale(title):
    assert_verdict(checked(page_of(80, title)), "for-sale", "a short page (80 words)")


def test_a_short_live_notice_that_mentions_a_stand_ins_words_is_ok():
    page = page_of(60, "Harbour market", "Fresh fish for sale every morning; the new stalls are coming soon.")
    found = checked(page)
    assert found.finding == "ok", found.detail
