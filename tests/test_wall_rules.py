"""Walls: the answers that keep a checker out, and the live pages that must never be taken for one.

A wall is `blocked` (the link's state becomes unknown), so a rule that fires on a live page hides it from the
report and a rule that misses a wall reports a live page as broken. Each test pins one rule of
crawler/rules/walls.py with a page that it alone decides, or a live page it must leave alone, and each limit
(words, fields, characters, seconds) at, below and above it. tests/test_absence.py pins how walls meet
the probe and a page's history.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import cycle, islice

import pytest

from crawler.rules.fetched import Fetch, Hop
from crawler.rules.page import EMPTY, read_page
from crawler.rules.verdict import judge
from crawler.rules.walls import (
    blocking_evidence,
    challenge_evidence,
    firewall_evidence,
    interstitial_evidence,
    is_bot_challenge,
    judge_wall,
    object_store_error,
    short_of_absence,
    sign_in_evidence,
    stand_in_evidence,
    too_few_words,
)

# The limits by their numbers, not the module's names for them: a changed limit is a changed rule.
STUB_WORDS = 40  # a stub that only runs a script, refreshes or frames another page
TOO_FEW_WORDS = 12  # below this, nothing to read
INTERSTITIAL_WORDS = 150  # a challenge, a block page, a short sign-in page
SIGN_IN_PAGE_WORDS = 300  # a sign-in page with a password box
SIGN_IN_FIELDS = 2  # the fields of a sign-in's or a challenge's form
VISIBLE_CHARACTERS = 1500  # where a page says what it is
PROMPT_REFRESH_SECONDS = 30  # a challenge's refresh sends the browser on within seconds

NOW = datetime(2026, 12, 7, tzinfo=UTC)
URL = "https://www.example.org/reports/annual-2019"
FILLER = "minutes of the council meeting held in the town hall"  # says nothing any rule looks for
ARTICLE = " ".join(["The annual report sets out how the council spent its budget on roads and schools."] * 30)
CAPTCHA_WIDGET = '<div id="px-captcha"></div>'  # a challenge's marker, and no words
TURNSTILE = '<script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script>'


def html(title: str = "", body: str = "", head: str = "") -> str:
    return f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def filler(count: int) -> str:
    return " ".join(islice(cycle(FILLER.split()), count))


def padded(said: str, words: int) -> str:
    """A body that says `said` and is `words` words long in all."""
    return f"<p>{said}</p><p>{filler(words - len(said.split()))}</p>"


def fields(count: int) -> str:
    """A form of `count` fields a person fills in, the first asking for a user name."""
    inputs = ["<input name='username'>", "<input type='password' name='pw'>"] + [
        f"<input name='extra{n}'>" for n in range(count)
    ]
    return f"<form>{''.join(inputs[:count])}<button>Next</button></form>"


def fetched(url: str = URL, status: int | None = 200, page: str | None = None, **fetch) -> Fetch:
    return Fetch(url=url, status=status, page=read_page(page if page is not None else html()), **fetch)


def verdict(**fetch):
    return judge(fetched(**fetch), NOW, cert_warning_days=30)


def redirected(landing: str, url: str = URL) -> Fetch:
    """A link sent on to `landing`, which answers with an ordinary page: only the address can make it a wall."""
    return fetched(url=url, chain=(Hop(url, 302),), final_url=landing, page=html("Reports", f"<p>{ARTICLE}"))


def test_the_article_used_as_a_live_page_is_ok():
    """Every 'stays ok' below relies on this page being judged ok on its own."""
    assert verdict(page=html("Annual report 2019", f"<h1>Annual report 2019</h1><p>{ARTICLE}</p>")).finding == "ok"


# Which error statuses can be a wall at all


@pytest.mark.parametrize(
    ("status", "short"),
    [(None, False), (200, False), (302, False), (399, False), (400, True), (403, True), (404, False), (410, False),
     (429, True), (500, True), (999, True)],
    ids=lambda value: str(value),
)
def test_an_error_status_is_short_of_absence_unless_it_says_the_page_is_not_there(status, short):
    assert short_of_absence(status) is short


# A login the server asks for


@pytest.mark.parametrize(
    ("status", "headers", "scheme"),
    [
        (401, {"www-authenticate": "Basic realm=intranet"}, "('Basic')"),
        (401, {"www-authenticate": 'Digest realm="intranet", qop="auth", nonce="7a1c"'}, "('Digest')"),
        (401, {"www-authenticate": "Bearer", "proxy-authenticate": "Basic"}, "('Bearer')"),
        (407, {"proxy-authenticate": "Negotiate"}, "('Negotiate')"),
        (401, {}, "('no scheme given')"),
    ],
    ids=["www-authenticate", "digest", "the-servers-before-the-proxys", "proxy-authenticate", "none"],
)
def test_a_login_asked_for_by_status_names_its_scheme(status, headers, scheme):
    found = verdict(status=status, headers=headers, page=html("Unauthorized", f"<p>{ARTICLE}</p>"))
    assert (found.finding, found.outcome) == ("auth-required", "blocked")
    assert scheme in found.detail and str(status) in found.detail and "a person must look" in found.detail


def test_a_429_that_is_no_challenge_asks_the_checker_to_slow_down():
    found = verdict(status=429, page=html("Error 429", "<h1>Error 429</h1><p>Try again in an hour.</p>"))
    assert (found.finding, found.outcome) == ("rate-limited", "blocked")
    assert found.detail == "429 Too Many Requests: the server asked us to slow down; a person must look if it lasts"


# Bot challenges: a header, or markers and words on a short page


@pytest.mark.parametrize("header", ["cf-mitigated", "x-vercel-mitigated"])
def test_a_challenge_header_makes_even_a_long_page_a_challenge(header):
    fetch = fetched(page=html("Reports", f"<p>{ARTICLE}</p>"), headers={header: "challenge"})
    assert challenge_evidence(fetch) == "challenge header"
    assert judge_wall(fetch).finding == "bot-challenge"


@pytest.mark.parametrize("status", [202, 403, 429, 503])
def test_a_challenges_marker_alone_on_a_blocking_status_is_a_challenge(status):
    fetch = fetched(status=status, page=html("", CAPTCHA_WIDGET))
    assert challenge_evidence(fetch) == "marker 'px-captcha'"
    found = judge(fetch, NOW, cert_warning_days=30)
    assert found.finding == "bot-challenge" and found.detail.startswith(f"bot challenge ({status} ")


@pytest.mark.parametrize("status", [200, 500])
def test_a_challenges_marker_alone_on_another_status_is_no_challenge(status):
    assert challenge_evidence(fetched(status=status, page=html("", CAPTCHA_WIDGET))) is None


@pytest.mark.parametrize("status", [202, 403, 429, 503])
def test_a_challenges_words_alone_in_the_text_on_a_blocking_status_are_a_challenge(status):
    page = html("", "<p>Please verify you are human.</p>")
    assert challenge_evidence(fetched(status=status, page=page)) == "says 'verify you are human'"


def test_a_challenges_words_alone_in_the_text_of_a_success_are_no_challenge():
    """A short news item may say 'security check'; without a marker or a title saying so it is the site's page."""
    page = html("Airport news", "<p>Expect a longer security check at the airport this week.</p>")
    assert challenge_evidence(fetched(page=page)) is None
    assert verdict(page=page).finding != "bot-challenge"


def test_a_challenge_is_a_page_of_at_most_the_interstitial_limit_in_words():
    def evidence(words):
        return challenge_evidence(fetched(status=503, page=html("", padded("Checking your browser.", words))))

    assert evidence(INTERSTITIAL_WORDS - 1) and evidence(INTERSTITIAL_WORDS)
    assert evidence(INTERSTITIAL_WORDS + 1) is None


def test_a_marker_and_the_words_in_the_text_are_a_challenge_on_a_success():
    page = html("Example Ministry", f"<p>Please verify you are human to continue.</p>{TURNSTILE}")
    found = verdict(page=page)
    assert found.finding == "bot-challenge"
    assert "marker 'challenges.cloudflare.com'" in found.detail and "says 'verify you are human'" in found.detail


@pytest.mark.parametrize(("count", "challenge"), [(SIGN_IN_FIELDS, True), (SIGN_IN_FIELDS + 1, False)],
                         ids=["a-challenges-form", "the-pages-own-form"])
def test_a_captcha_guarding_a_form_of_more_fields_than_a_sign_in_is_the_pages_own(count, challenge):
    page = html("Contact us", f"<p>Please verify you are human to continue.</p>{TURNSTILE}{fields(count)}")
    assert bool(challenge_evidence(fetched(page=page))) is challenge


def test_a_page_titled_as_a_challenge_with_its_marker_is_one_whatever_its_form():
    body = padded("Please wait.", 60) + TURNSTILE + fields(SIGN_IN_FIELDS + 2)
    assert challenge_evidence(fetched(page=html("Security check", body))) == (
        "marker 'challenges.cloudflare.com', says 'security check'"
    )
    assert challenge_evidence(fetched(page=html("Security check", body.replace(TURNSTILE, "")))) is None


@pytest.mark.parametrize(("words", "challenge"), [(STUB_WORDS - 1, True), (STUB_WORDS, True), (STUB_WORDS + 1, False)])
def test_a_page_titled_as_a_challenge_without_a_marker_is_one_only_as_short_as_a_stub(words, challenge):
    found = verdict(page=html("Just a moment...", padded("Back soon.", words)))
    assert (found.finding == "bot-challenge") is challenge
    if challenge:
        assert "says 'just a moment'" in found.detail


def test_a_challenge_title_in_a_heading_counts_as_its_title():
    assert challenge_evidence(fetched(page=html("Example Ministry", "<h1>Security check</h1><p>Back soon.</p>")))


@pytest.mark.parametrize(
    ("page", "asked_again"),
    [
        (html("Just a moment...", "<p>Back soon.</p>"), True),
        (html("", "<p>Please enable cookies.</p>"), True),
        (html("Reports", f"<p>{ARTICLE}</p>"), False),
    ],
    ids=["challenge", "interstitial", "live-page"],
)
def test_a_challenge_or_an_interstitial_is_one_the_retry_middleware_gives_up_on(page, asked_again):
    """Asking again only gets the same check: the retry middleware leaves it to the verdict."""
    assert is_bot_challenge(fetched(status=503, page=page)) is asked_again


def test_a_page_titled_as_a_challenge_needs_the_words_not_just_a_blocking_status_to_be_one():
    """A 202 page titled 'Report queued' says nothing of a check: the status alone is no challenge."""
    assert challenge_evidence(fetched(status=202, page=html("Report queued", "<h1>Report queued</h1>"))) is None


# Interstitials: a page of a few words that only stands between the reader and the site


def test_a_page_that_says_it_checks_the_browser_is_an_interstitial_up_to_the_stub_limit():
    def evidence(words):
        return interstitial_evidence(fetched(page=html("", padded("Please enable cookies.", words))))

    assert evidence(STUB_WORDS) == "an interstitial that says 'enable cookies'"
    assert evidence(STUB_WORDS + 1) is None


def test_an_interstitial_served_with_200_is_a_wall():
    found = verdict(page=html("", "<p>Please enable cookies.</p>"))
    assert (found.finding, found.outcome) == ("bot-challenge", "blocked")
    assert "200 OK" in found.detail and "an interstitial that says 'enable cookies'" in found.detail


@pytest.mark.parametrize(
    ("script", "interstitial"),
    [
        ('document.cookie = "t=1"; location.reload();', True),
        ('document.cookie = "consent=1";', False),
        ("window.location.href = '/reports';", False),
    ],
    ids=["cookie-and-reload", "cookie-only", "navigation-only"],
)
def test_a_script_stub_is_an_interstitial_when_it_both_sets_a_cookie_and_reloads(script, interstitial):
    found = interstitial_evidence(fetched(page=html("", f"<script>{script}</script>")))
    assert (found == "an interstitial whose script sets a cookie and reloads the page") is interstitial


def test_a_response_that_is_no_html_page_is_no_interstitial():
    assert interstitial_evidence(Fetch(url=URL, status=503, page=EMPTY)) is None


def refresh(content: str) -> Fetch:
    return fetched(page=html("", "<p>Reports</p>", f'<meta http-equiv="refresh" content="{content}">'))


@pytest.mark.parametrize(
    "content",
    ["0", "5; url=/reports", "0;url=https://www.example.org/reports", f"{PROMPT_REFRESH_SECONDS - 1}",
     f"{PROMPT_REFRESH_SECONDS - 0.5}"],
)
def test_a_meta_refresh_within_seconds_is_an_interstitial(content):
    assert interstitial_evidence(refresh(content)) == "an interstitial that refreshes itself at once"


@pytest.mark.parametrize(
    "content",
    [f"{PROMPT_REFRESH_SECONDS}", f"{PROMPT_REFRESH_SECONDS + 1}", "300", "0; url=mailto:office@example.org",
     "0; url=javascript:void(0)", ""],
    ids=["at-the-limit", "above-the-limit", "minutes", "mail", "script", "no-delay"],
)
def test_a_slow_meta_refresh_or_one_that_leaves_the_web_is_no_interstitial(content):
    assert interstitial_evidence(refresh(content)) is None


def frame(status: int | None = 200, extra: str = "", words: int = 0) -> Fetch:
    body = f"<iframe src='https://check.example.net/c'></iframe>{extra}"
    return fetched(status=status, page=html("", body + (f"<p>{filler(words)}</p>" if words else "")))


@pytest.mark.parametrize(
    ("fetch", "interstitial"),
    [
        (frame(200), False),
        (frame(299), False),
        (frame(200, "<noscript>Turn on scripts</noscript>"), True),
        (frame(200, "<p>Loading</p>"), True),
        (frame(300), True),
        (frame(503), True),
        (frame(None), True),
        (frame(503, words=TOO_FEW_WORDS - 1), True),
        (frame(503, words=TOO_FEW_WORDS), False),
    ],
    ids=["200", "299", "noscript", "stub-words", "300", "503", "no-status", "11-words", "12-words"],
)
def test_a_frame_of_few_words_is_an_interstitial_on_a_success_only_with_another_sign(fetch, interstitial):
    assert (interstitial_evidence(fetch) == "an interstitial that is only a frame") is interstitial


@pytest.mark.parametrize(
    ("status", "words", "interstitial"),
    [(500, 0, True), (403, TOO_FEW_WORDS - 1, True), (500, TOO_FEW_WORDS, False), (200, 0, False), (404, 0, False)],
    ids=["500", "403-11-words", "500-12-words", "200", "404"],
)
def test_an_error_short_of_absence_answered_with_only_a_script_is_an_interstitial(status, words, interstitial):
    page = html("", f"<script src='/app.js'></script><p>{filler(words)}</p>")
    assert (interstitial_evidence(fetched(status=status, page=page)) == "a page that is only a script") is interstitial


# Firewalls and CDNs: their headers on a refusal, their block page's words on any answer


CDN_HEADERS = {
    "cloudflare": {"server": "cloudflare", "cf-ray": "8a1b2c3d4e5f-SYD"},
    "akamai": {"server": "AkamaiGHost", "x-akamai-transformed": "9 - 0 pmb=mRUM,1"},
    "cloudfront": {"x-amz-cf-id": "q1w2e3", "via": "1.1 0a1b.cloudfront.net (CloudFront)"},
    "incapsula": {"x-iinfo": "12-3456-0 0NNN", "x-cdn": "Incapsula"},
    "fastly": {"x-fastly-request-id": "5d1e"},
    "azure": {"x-azure-ref": "0a1b2c"},
}


@pytest.mark.parametrize("cdn", CDN_HEADERS)
def test_a_live_article_served_through_a_cdn_is_ok(cdn):
    found = verdict(page=html("Annual report 2019", f"<h1>Annual report 2019</h1><p>{ARTICLE}</p>"),
                    headers=CDN_HEADERS[cdn])
    assert found.finding == "ok"


@pytest.mark.parametrize("cdn", CDN_HEADERS)
def test_a_refusal_from_a_cdn_is_a_wall(cdn):
    found = verdict(status=403, page=html("", "<p>Forbidden</p>"), headers=CDN_HEADERS[cdn])
    assert (found.finding, found.outcome) == ("waf-blocked", "blocked")
    assert found.detail.startswith("403 Forbidden from a CDN or firewall (")


@pytest.mark.parametrize("status", [403, 406, 451, 999])
def test_each_refusal_status_from_a_cdn_is_a_wall(status):
    assert verdict(status=status, headers=CDN_HEADERS["cloudflare"]).finding == "waf-blocked"


@pytest.mark.parametrize("status", [500, 502])
def test_a_server_error_passed_on_by_a_cdn_is_the_servers_error_not_a_wall(status):
    found = verdict(status=status, page=html("Server error", "<p>Please try again later.</p>"),
                    headers=CDN_HEADERS["cloudflare"])
    assert (found.finding, found.outcome) == ("http", "failure")


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        ({"server": "AkamaiGHost"}, "(server: 'akamaighost')"),
        ({"cf-ray": "8a1b"}, "(header 'cf-ray')"),
        ({"x-akamai-request-id": "1"}, "(header 'x-akamai-request-id')"),
        ({"x-px-block": "1"}, "(header 'x-px-block')"),
        ({"x-cdn": "Imperva"}, "(imperva)"),
        ({"via": "1.1 akamai.net (ghost)"}, "(akamai)"),
    ],
    ids=["server", "header", "header-prefix", "another-prefix", "x-cdn", "via"],
)
def test_each_sign_of_a_cdn_alone_makes_a_refusal_a_wall(headers, named):
    assert firewall_evidence(fetched(status=403, page=html("", "<p>Forbidden</p>"), headers=headers)) == (
        f"a CDN or firewall {named}"
    )


def test_a_refusal_with_ordinary_headers_and_no_words_of_blocking_is_no_wall():
    headers = {"server": "Apache/2.4", "via": "1.1 varnish", "x-cache": "MISS"}
    page = html("403 Forbidden", "<h1>Forbidden</h1>")
    assert firewall_evidence(fetched(status=403, page=page, headers=headers)) is None
    assert verdict(status=403, page=page, headers=headers).finding == "forbidden"


def test_an_object_stores_refusal_through_a_cdn_is_no_firewalls():
    denied = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
    fetch = fetched(status=403, page=denied, headers=CDN_HEADERS["cloudfront"])
    assert firewall_evidence(fetch) is None
    assert firewall_evidence(fetched(status=403, page=html("", "<p>Forbidden</p>"), headers=CDN_HEADERS["cloudfront"]))


@pytest.mark.parametrize("status", [200, 403])
@pytest.mark.parametrize(
    "page",
    [html("Attention Required! | Cloudflare", "<p>Please try again.</p>"), html("", "<h1>You have been blocked</h1>"),
     html("", "<p>Sorry, you have been blocked.</p>")],
    ids=["title", "heading", "text"],
)
def test_a_block_page_is_a_wall_by_its_own_words_whatever_its_cdn_and_status(status, page):
    found = verdict(status=status, page=page, headers=CDN_HEADERS["cloudflare"])
    assert (found.finding, found.outcome) == ("waf-blocked", "blocked")
    assert "its page says" in found.detail


def test_a_success_is_a_block_page_only_up_to_the_interstitial_limit_in_words():
    def evidence(words):
        return firewall_evidence(fetched(page=html("", padded("You have been blocked.", words))), refusal=False)

    assert evidence(INTERSTITIAL_WORDS) == "a firewall (its page says 'you have been blocked')"
    assert evidence(INTERSTITIAL_WORDS + 1) is None


def test_a_block_pages_words_are_read_in_the_first_characters_of_its_text():
    def evidence(padding):
        return firewall_evidence(fetched(page=html("", f"<p>{'x' * padding} you have been blocked</p>")), refusal=False)

    reach = VISIBLE_CHARACTERS - len(" you have been blocked")
    assert evidence(reach) and evidence(reach - 1)
    assert evidence(reach + 1) is None


def test_a_refusal_says_it_blocks_in_its_heading_however_long_the_menu_before_it():
    page = html("Example Ministry", f"<nav><p>{filler(300)}</p></nav><h1>Access denied</h1>")
    assert firewall_evidence(fetched(status=403, page=page)) == "a server that says it blocks the checker ('denied')"


def test_a_success_is_no_wall_for_words_that_only_speak_of_blocking():
    """Only a refusal's page is read for blocking in any words: a short 200 notice about a road block is live."""
    page = html("Road works", "<p>The bridge is blocked to traffic until Friday.</p>")
    assert firewall_evidence(fetched(page=page), refusal=False) is None
    assert firewall_evidence(fetched(status=403, page=page)) == "a server that says it blocks the checker ('blocked')"


def test_a_redirects_own_page_is_not_read_for_a_firewalls_words():
    page = html("", "<p>You have been blocked.</p>")
    assert judge_wall(fetched(status=299, page=page)).finding == "waf-blocked"
    assert judge_wall(fetched(status=300, page=page)) is None


# Blocking pages: an error status whose page says it keeps the checker out


def test_an_error_page_that_speaks_of_too_many_requests_is_a_wall():
    found = verdict(status=500, page=html("Server error", "<p>Too many requests from this network.</p>"))
    assert found.finding == "waf-blocked"
    assert "says it blocks the checker ('too many requests')" in found.detail


def test_an_error_page_of_few_words_with_a_captcha_is_a_wall_up_to_the_interstitial_limit():
    def evidence(words):
        page = html("", f"<div class='h-captcha'></div>{padded('', words)}")
        return blocking_evidence(fetched(status=500, page=page))

    assert evidence(INTERSTITIAL_WORDS) == "a server that asks for a captcha ('captcha')"
    assert evidence(INTERSTITIAL_WORDS + 1) is None


def test_an_error_page_without_words_of_blocking_or_a_captcha_is_no_wall():
    assert blocking_evidence(fetched(status=500, page=html("Server error", "<p>Please try again later.</p>"))) is None
    assert verdict(status=500, page=html("Server error", "<p>Please try again later.</p>")).finding == "http"


def test_an_object_stores_error_is_read_in_the_first_characters_of_its_markup():
    def code(padding):
        return object_store_error(fetched(status=403, page=" " * padding + "<Error><Code>AccessDenied</Code></Error>"))

    reach = 2000 - len("<error><code>accessdenied</code>")
    assert code(reach) == "AccessDenied"
    assert code(reach + 1) is None


# Sign-in walls: a redirect to a login, or a short page that asks for one


@pytest.mark.parametrize(
    "landing",
    ["https://contoso.okta.com/", "https://contoso.b2clogin.com/", "https://tenant.auth0.com/", "https://id.me/"],
)
def test_a_deep_link_sent_to_an_identity_providers_host_is_a_sign_in_wall(landing):
    found = judge(redirected(landing), NOW, cert_warning_days=30)
    assert (found.finding, found.outcome) == ("sign-in", "blocked")
    assert f"redirected to '{landing}'" in found.detail


@pytest.mark.parametrize("host", ["notokta.com", "www.rapid.me", "www.okta.com.example.net"])
def test_a_deep_link_sent_to_a_host_that_only_contains_a_providers_name_is_not_a_sign_in_wall(host):
    landing = f"https://{host}/reports/annual-2019"
    assert sign_in_evidence(redirected(landing)) is None
    assert judge(redirected(landing), NOW, cert_warning_days=30).finding == "ok"


def test_a_deep_link_sent_to_another_host_named_for_signing_in_is_a_sign_in_wall():
    assert sign_in_evidence(redirected("https://sso.example.org/")) == "redirected to 'https://sso.example.org/'"


def test_a_redirect_within_a_host_named_for_signing_in_is_not_a_sign_in_wall():
    url = "https://sso.example.org/docs/guide"
    assert sign_in_evidence(redirected("https://sso.example.org/docs/guide/", url=url)) is None


def test_a_link_to_the_identity_provider_itself_is_not_a_wall():
    page = html("Sign in", f"<h1>Sign in</h1>{fields(SIGN_IN_FIELDS)}")
    assert sign_in_evidence(fetched(url="https://contoso.okta.com/app/reports", page=page)) is None
    assert sign_in_evidence(fetched(page=page))


def test_a_live_page_with_a_password_box_is_not_a_sign_in_wall():
    page = html("Wi-Fi setup", f"<h1>Wi-Fi setup</h1><p>{filler(80)}</p><form><input type='password'></form>")
    assert sign_in_evidence(fetched(page=page)) is None
    assert verdict(page=page).finding == "ok"


@pytest.mark.parametrize(("title", "heading", "named"), [("Sign in", "", "Sign in"), ("", "Log in", "Log in"),
                                                           ("Example Ministry", "Anmelden", "Example Ministry")])
def test_a_password_form_titled_for_signing_in_is_a_sign_in_wall(title, heading, named):
    page = html(title, f"<h1>{heading}</h1><form><input type='password'></form>" if heading else
                "<form><input type='password'></form>")
    found = verdict(page=page)
    assert (found.finding, found.outcome) == ("sign-in", "blocked")
    assert f"a password form titled '{named}'" in found.detail


def test_a_sign_in_page_is_at_most_a_few_hundred_words():
    def evidence(words):
        return sign_in_evidence(fetched(page=html("Sign in", padded("Welcome.", words) + "<input type='password'>")))

    assert evidence(SIGN_IN_PAGE_WORDS) == "a password form titled 'Sign in'"
    assert evidence(SIGN_IN_PAGE_WORDS + 1) is None


def test_an_identity_providers_form_with_a_password_box_is_a_sign_in_wall_whatever_its_title():
    page = html("Example Ministry", "<form id='kc-form-login'><input name='username'><input type='password'></form>")
    assert sign_in_evidence(fetched(page=page)) == "an identity provider's sign-in form (marker 'kc-form-login')"


def test_a_page_about_an_identity_provider_with_a_search_box_is_not_a_sign_in_wall():
    page = html("Federated access", "<p>Our Shibboleth service lets staff reach journals.</p><input name='q'>")
    assert sign_in_evidence(fetched(page=page)) is None


def test_a_help_page_titled_for_signing_in_without_a_form_is_not_a_sign_in_wall():
    page = html("How to sign in", "<p>Sign in with your Shibboleth account and your staff card number.</p>")
    assert sign_in_evidence(fetched(page=page)) is None


@pytest.mark.parametrize(
    ("words", "count", "wall"),
    [(INTERSTITIAL_WORDS, 1, True), (INTERSTITIAL_WORDS, SIGN_IN_FIELDS, True),
     (INTERSTITIAL_WORDS + 1, 1, False), (20, SIGN_IN_FIELDS + 1, False)],
    ids=["at-the-word-limit", "two-fields", "above-the-word-limit", "three-fields"],
)
def test_a_short_page_titled_for_signing_in_that_asks_for_a_user_name_is_a_sign_in_wall(words, count, wall):
    """Identifier-first sign-in asks for the name alone, the password next; a longer form is the page's own."""
    form = fields(count).replace("type='password' ", "")
    found = sign_in_evidence(fetched(page=html("Log in", padded("Welcome back.", words) + form)))
    assert (found == "a form asking for a user name, titled 'Log in'") is wall


def test_a_short_page_titled_for_signing_in_that_asks_for_no_user_name_is_not_a_sign_in_wall():
    page = html("Log in", "<p>Search the staff directory.</p><input name='q'>")
    assert sign_in_evidence(fetched(page=page)) is None


def test_a_page_that_hands_a_saml_request_on_names_the_field():
    page = html("Working...", "<form action='https://idp.example.net/sso'><input type='hidden' name='SAMLRequest'>")
    assert sign_in_evidence(fetched(page=page)) == "a sign-in protocol's form ('name='samlrequest')"


def test_a_long_sign_in_address_is_cut_in_the_reason():
    """Identity providers' addresses carry long parameters; the reason keeps the host and path readable."""
    landing = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=6731de76&response_type=code"
    assert sign_in_evidence(redirected(landing + "&scope=openid")) == f"redirected to '{landing[:97]}...'"


def test_an_error_status_on_a_sign_in_page_is_the_error_not_a_wall():
    page = html("Sign in", "<h1>Sign in</h1><form><input type='password'></form>")
    assert verdict(status=399, page=page).finding == "sign-in"
    assert verdict(status=400, page=page).finding == "http"


# Stand-ins: a page a site answers every address with, and what shows it to be a wall's


@pytest.mark.parametrize(
    ("said", "seen"),
    [
        ("Access denied.", "denied"),
        ("One moment, please.", "one moment, please"),
        ("Error code 1020", "error code 1020"),
        ("Checking the browser.", "checking the browser"),
        ("Loading", "loading"),
        ("Please confirm your date of birth.", "confirm your date of birth"),
    ],
    ids=["blocking", "challenge", "firewall", "interstitial", "stub", "gate"],
)
def test_a_stand_in_that_says_what_it_is_is_a_walls(said, seen):
    assert stand_in_evidence(fetched(page=html("", f"<p>{said}</p>"))) == f"a page that says '{seen}'"


def test_a_stand_in_is_read_for_its_words_up_to_twice_the_interstitial_limit():
    def evidence(words):
        return stand_in_evidence(fetched(page=html("", padded("Access denied.", words))))

    assert evidence(2 * INTERSTITIAL_WORDS) == "a page that says 'denied'"
    assert evidence(2 * INTERSTITIAL_WORDS + 1) is None


def test_a_stand_in_with_a_captcha_is_a_walls():
    assert stand_in_evidence(fetched(page=html("", "<div class='g-recaptcha'></div>"))) == "a captcha ('captcha')"


def test_a_stand_in_whose_form_carries_the_address_on_is_a_gates():
    page = html("", "<form><input type='hidden' name='return' value='/reports/annual-2019'></form>")
    assert stand_in_evidence(fetched(page=page)) == "a form that carries the address on to a check"


def test_a_stand_in_that_is_a_sign_in_page_says_so_first():
    page = html("Sign in", "<p>Access denied.</p><form><input type='password'></form>")
    assert stand_in_evidence(fetched(page=page)) == "a sign-in page: a password form titled 'Sign in'"


def test_a_stand_in_that_is_only_a_cookie_stub_is_an_interstitials():
    page = html("", '<script>document.cookie = "t=1"; location.reload();</script>')
    assert stand_in_evidence(fetched(page=page)) == "an interstitial whose script sets a cookie and reloads the page"


@pytest.mark.parametrize("page", [html("Reports", f"<p>{ARTICLE}</p>"), html("Reports", "<p>Annual report.</p>")],
                         ids=["long", "short"])
def test_a_stand_in_that_says_nothing_of_a_wall_is_none(page):
    assert stand_in_evidence(fetched(page=page)) is None


@pytest.mark.parametrize(("words", "few"), [(0, True), (TOO_FEW_WORDS - 1, True), (TOO_FEW_WORDS, False)])
def test_a_page_of_fewer_than_a_dozen_words_gives_a_reader_nothing(words, few):
    found = too_few_words(fetched(page=html("Reports", f"<p>{filler(words)}</p>")))
    assert (found == f"a page of {words} words: a script stub, an application shell or an empty page") is few
