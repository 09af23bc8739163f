"""Dead needs evidence of absence: refusals, walls and the pages a site answers every address with.

Each test pins one rule of crawler/rules/absence.py and crawler/rules/walls.py with the smallest page that shows it;
tests/test_detection_corpus.py measures the same rules on realistic pages served on loopback.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.rules.absence import EVIDENCE, needs_refusal_probe
from crawler.rules.fetched import Fetch, Hop
from crawler.rules.page import read_page
from crawler.rules.soft404 import probe_url
from crawler.rules.verdict import judge, needs_probe
from linkkeeper.health.findings import FINDINGS

NOW = datetime(2026, 12, 7, tzinfo=UTC)
URL = "https://files.example.org/reports/egm-2019.pdf"
SERVED = "2026-09-01T06:17:00+00:00"
ARTICLE = " ".join(["The toolkit helps island governments plan digital services step by step."] * 30)


def html(title: str = "", body: str = "", head: str = "") -> str:
    return f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def fetched(url: str = URL, status: int = 200, page: str = "", **fetch) -> Fetch:
    return Fetch(url=url, status=status, page=read_page(page) if page else read_page(html()), **fetch)


def probe(status: int = 404, page: str = "", near: str = URL, **fetch) -> Fetch:
    return fetched(url=probe_url(near), status=status, page=page or html("Not Found", "<h1>Not Found</h1>"), **fetch)


def verdict(fetch: Fetch, missing: Fetch | None = None, served_at: str | None = None):
    return judge(fetch, NOW, cert_warning_days=30, probe=missing, served_at=served_at)


def everywhere(page: str, status: int = 200, url: str = URL, **fetch):
    """The verdict on a page the host also answers a path that cannot exist with."""
    return verdict(fetched(url=url, status=status, page=page, **fetch), probe(status, page, near=url, **fetch))


def s3_denied(request_id: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>'
        f"<RequestId>{request_id}</RequestId><HostId>{request_id * 3}=</HostId></Error>"
    )


# Every failure names its evidence


def test_every_finding_that_can_lead_to_dead_names_its_evidence_of_absence():
    failures = {name for name, finding in FINDINGS.items() if finding.outcome == "failure"}
    assert failures == set(EVIDENCE)


# Refusal is not absence


def test_a_plain_403_on_first_contact_is_forbidden_not_dead():
    found = verdict(fetched(status=403, page=html("403 Forbidden", "<h1>Forbidden</h1>")), probe(403))
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "first contact" in found.detail


def test_a_403_for_a_page_that_served_before_and_the_same_answer_for_a_missing_path_is_gone():
    forbidden = html("403 Forbidden", "<h1>Forbidden</h1><hr><center>nginx</center>")
    found = verdict(fetched(status=403, page=forbidden), probe(403, forbidden), served_at=SERVED)
    assert (found.finding, found.outcome) == ("http", "failure")
    assert "2026-09-01" in found.detail and "a path that cannot exist" in found.detail


def test_a_403_that_a_missing_path_does_not_get_is_a_refusal_of_a_page_that_is_there():
    found = verdict(fetched(status=403, page=html("403 Forbidden")), probe(404), served_at=SERVED)
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "404 Not Found" in found.detail


def test_a_403_whose_host_could_not_be_probed_is_not_dead():
    unreachable = Fetch(url=probe_url(URL), error_class="timeout", error="timed out")
    found = verdict(fetched(status=403, page=html("403 Forbidden")), unreachable, served_at=SERVED)
    assert found.outcome == "blocked"


def test_an_object_stores_access_denied_for_a_key_that_served_before_is_gone_whatever_its_request_id():
    found = verdict(
        fetched(status=403, page=s3_denied("4442587FB7D0A2F9")),
        probe(403, s3_denied("9A1C0B7E33D2F5E1")),
        served_at=SERVED,
    )
    assert (found.finding, found.outcome) == ("http", "failure")
    assert "a path that cannot exist gets the same 'AccessDenied'" in found.detail


def test_an_object_stores_access_denied_through_a_cdn_is_judged_by_history_not_by_the_cdn():
    cdn = {"server": "AmazonS3", "x-amz-cf-id": "hT3zQ9vK0bXw1mR7cY5uLp2sA8dF6gE4nJ=="}
    fetch = fetched(status=403, page=s3_denied("4442587FB7D0A2F9"), headers=cdn)
    assert verdict(fetch, probe(403, s3_denied("77AB"), headers=cdn), served_at=SERVED).finding == "http"
    assert verdict(fetch, probe(403, s3_denied("77AB"), headers=cdn)).finding == "forbidden"


@pytest.mark.parametrize(
    ("status", "title", "text"),
    [
        (403, "Forbidden", "Your User-Agent is banned from this site."),
        (403, "Access denied", "Your IP address is not allowlisted for this service."),
        (403, "Request rejected", "Automated access to this site is not permitted by our security policy."),
        (403, "Zugriff verweigert", "Der Zugriff auf diese Seite wurde verweigert."),
        (403, "Accès refusé", "Votre adresse a été bloquée."),
        (403, "アクセスが拒否されました", "このページへのアクセスは制限されています。"),
        (406, "Not Acceptable!", "An appropriate representation could not be found. Generated by Mod_Security."),
        (451, "Unavailable For Legal Reasons", "This content is not available in your country."),
    ],
)
def test_a_refusal_that_speaks_of_blocking_is_a_wall_even_after_the_page_served(status, title, text):
    page = html(title, f"<h1>{title}</h1><p>{text}</p>")
    found = verdict(fetched(status=status, page=page), probe(status, page), served_at=SERVED)
    assert (found.finding, found.outcome) == ("waf-blocked", "blocked"), found.detail


def test_a_refusal_of_a_page_that_served_before_asks_for_the_probe():
    refused = fetched(status=403, page=html("403 Forbidden"))
    assert needs_probe(refused, SERVED) and not needs_probe(refused, None)


# The site answers every address with the same page


def test_a_captcha_page_the_site_answers_every_address_with_is_unknown():
    page = html(
        "Security verification",
        "<h2>One more step</h2><p>Please complete the puzzle so we know you are not an automated program.</p>"
        '<div class="slide-verify" data-sitekey="a81f"></div><script src="/verify/captcha-v3.js"></script>',
    )
    found = everywhere(page)
    assert found.outcome == "blocked", found.detail


def test_a_cookie_stub_with_a_token_per_address_is_unknown():
    found = verdict(
        fetched(page=html("", '<script>document.cookie="t=91ab";location.reload();</script>You are being redirected')),
        probe(200, html("", '<script>document.cookie="t=02cd";location.reload();</script>You are being redirected')),
    )
    assert found.outcome == "blocked", found.detail


def test_an_empty_page_the_site_answers_every_address_with_is_unknown():
    found = everywhere(html("", ""))
    assert (found.finding, found.outcome) == ("catch-all", "blocked")


def test_an_iframe_interstitial_served_with_200_to_every_address_is_unknown():
    page = html("", '<iframe src="/_guard/verify?id=9f2" style="width:100%;height:100%"></iframe>')
    assert everywhere(page).outcome == "blocked"


def test_a_sign_in_page_the_site_answers_every_address_with_is_unknown():
    page = html("Welcome", '<h1>Welcome back</h1><form><input type="password" name="pw"></form>')
    assert everywhere(page).outcome == "blocked"


def test_an_error_page_in_words_the_rules_know_is_a_soft_404():
    page = html("Pagina non trovata", f"<nav>{ARTICLE[:300]}</nav><h1>Pagina non trovata</h1>")
    assert everywhere(page).finding == "soft-404"


def test_a_long_template_titled_not_found_that_every_address_gets_is_a_soft_404():
    page = html("Page not found | Ministry", f"<nav>{ARTICLE}</nav><h1>Page not found</h1>")
    assert everywhere(page).finding == "soft-404"


def test_a_page_every_address_gets_that_does_not_say_it_is_an_error_is_only_a_suspicion():
    page = html("Ministry of Communications", f"<h1>Ministry of Communications</h1><p>{ARTICLE}</p>")
    found = everywhere(page)
    assert (found.finding, found.outcome) == ("suspect-404", "warning")


def test_a_title_only_placeholder_that_every_address_gets_is_a_placeholder():
    assert everywhere(html("Domain not claimed")).finding == "placeholder"


# Sign-in, whatever the probe says


@pytest.mark.parametrize(
    "landing",
    [
        "https://sso.example.org/realms/gov/protocol/openid-connect/auth?client_id=portal&response_type=code",
        "https://example.okta.com/app/example_portal_1/exk1a2b3/sso/saml",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=a&redirect_uri=b",
        "https://accounts.google.com/o/oauth2/v2/auth?client_id=a",
        "https://idp.example.org/idp/profile/SAML2/Redirect/SSO?SAMLRequest=fZJ",
        "https://example.org/cas/login?service=https%3A%2F%2Fexample.org%2Freports",
        "https://example.org/adfs/ls/?SAMLRequest=fZJ&RelayState=x",
        "https://login.example.org/",
    ],
)
def test_a_deep_link_sent_to_an_identity_provider_is_a_sign_in_wall(landing):
    page = html("Sign in", "<h1>Sign in</h1><form><input name='username'></form>")
    fetch = fetched(chain=(Hop(URL, 302),), final_url=landing, page=page)
    found = verdict(fetch, fetched(url=probe_url(URL), chain=(Hop(probe_url(URL), 302),), final_url=landing, page=page))
    assert (found.finding, found.outcome) == ("sign-in", "blocked"), found.detail


def test_an_identifier_first_sign_in_page_without_a_password_field_is_a_wall():
    page = html("Sign in to Example", "<h1>Sign in</h1><form><input type='email' name='identifier'><button>Next")
    found = verdict(fetched(url="https://example.org/intranet/report", page=page))
    assert found.finding == "sign-in"


def test_a_live_page_with_a_newsletter_field_is_not_a_sign_in_page():
    page = html("Toolkit", f"<h1>Toolkit</h1><p>{ARTICLE}</p><form><input type='email' name='email'></form>")
    assert verdict(fetched(page=page)).finding == "ok"


# Interstitials, whatever their status


def test_a_page_checking_the_browser_is_a_wall_whatever_its_status():
    page = html("Please wait", "<p>Please enable JavaScript and cookies to continue.</p>")
    for status in (200, 202, 503):
        assert verdict(fetched(status=status, page=page)).outcome == "blocked"


def test_a_script_stub_that_sets_a_cookie_and_reloads_is_a_wall():
    page = html("", '<script>document.cookie = "__tst=1; path=/"; window.location.reload();</script>')
    assert verdict(fetched(page=page)).finding == "bot-challenge"


def test_an_iframe_only_page_without_other_signs_that_only_this_address_gets_is_ok():
    page = html("Annual report", '<iframe src="https://docs.example.net/d/1"></iframe>')
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_a_long_page_with_an_embedded_video_and_a_captcha_form_is_ok():
    page = html(
        "Training centre",
        f"<h1>Training centre</h1><p>{ARTICLE}</p><iframe src='https://video.example.net/embed/1'></iframe>"
        "<form><div class='g-recaptcha' data-sitekey='x'></div><input name='email'></form>",
    )
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_an_error_status_whose_page_says_it_blocks_the_checker_is_a_wall():
    page = html("Request blocked", "<p>Your request was blocked because it looked automated.</p>")
    for status in (400, 405, 500, 503):
        assert verdict(fetched(status=status, page=page)).finding == "waf-blocked", status


def test_a_404_is_absence_whatever_its_page_says():
    page = html("Not found", "<p>Bots and crawlers: this page was blocked or removed.</p>")
    assert verdict(fetched(status=404, page=page)).finding == "http"


def test_the_999_some_sites_answer_checkers_with_is_a_refusal_not_absence():
    assert verdict(fetched(status=999, page=html("", ""))).finding == "forbidden"


def test_a_page_that_hands_a_saml_request_to_an_identity_provider_is_a_sign_in_wall():
    page = html(
        "Working...",
        '<form method="post" action="https://idp.example.net/sso"><input type="hidden" name="SAMLRequest"'
        ' value="PHNhbWxwOkF1dGhu"><noscript><button>Continue</button></noscript></form>',
    )
    assert verdict(fetched(page=page)).finding == "sign-in"


def test_a_deep_link_that_every_address_shares_sent_home_to_a_page_of_few_words_is_a_home_redirect():
    home = html("Home", "<div id='app'></div>")
    deep = "https://example.org/programmes/2019/toolkit"
    landing = {"chain": (Hop(deep, 302),), "final_url": "https://example.org/"}
    found = everywhere(home, url=deep, **landing)
    assert found.finding == "home-redirect"


def test_a_deep_link_sent_home_to_a_captcha_is_a_wall():
    gate = html("Security check", "<div class='slider-captcha'></div>")
    deep = "https://example.org/programmes/2019/toolkit"
    found = everywhere(gate, url=deep, chain=(Hop(deep, 302),), final_url="https://example.org/")
    assert found.outcome == "blocked"


def test_a_deep_link_sent_home_to_an_age_gate_every_address_gets_is_a_stand_in_not_a_home_redirect():
    """The gate stands before every page, the home page's as well: the redirect home says nothing of the page."""
    gate = html("Pacific Brewers", "<h1>Are you over 18?</h1><p>Confirm your age to enter.</p><button>Yes</button>")
    deep = "https://example.org/programmes/2019/toolkit"
    found = everywhere(gate, url=deep, chain=(Hop(deep, 302),), final_url="https://example.org/")
    assert (found.finding, found.outcome) == ("catch-all", "blocked")
    assert "(a page that says 'are you over'; " in found.detail


def test_a_registration_form_titled_for_signing_up_is_not_a_sign_in_wall():
    page = html(
        "Aanmelden: training",
        "<h1>Aanmelden</h1><form><input name='naam'><input type='email' name='email'><input name='organisatie'>"
        "<select name='sessie'><option>1</option></select><textarea name='opmerkingen'></textarea></form>",
    )
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_a_suspended_hosting_account_answered_with_403_is_suspended_not_a_wall():
    page = html("Сайт заблокирован", "<h1>Работа сайта приостановлена</h1><p>Аккаунт заблокирован.</p>")
    assert verdict(fetched(status=403, page=page), probe(403, page)).finding == "suspended"


def test_a_guide_titled_404_unlike_the_hosts_honest_404_is_ok():
    page = html("A guide to 404 errors", f"<h1>404 errors, explained</h1><p>{ARTICLE[:900]}</p>")
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_an_error_status_answered_with_a_script_and_no_text_is_a_wall():
    page = html("", "<script>var _0x3f=['\\x63'];(function(){eval(_0x3f[0])})();</script>")
    assert verdict(fetched(status=412, page=page)).finding == "bot-challenge"


def test_a_meta_refresh_within_seconds_left_on_the_page_is_an_interstitial():
    page = html("보안 확인 중", "<p>잠시만 기다려 주십시오</p>", head='<meta http-equiv="refresh" content="3">')
    assert verdict(fetched(page=page)).finding == "bot-challenge"


def test_a_page_that_reloads_itself_every_few_minutes_is_no_interstitial():
    reload = '<meta http-equiv="refresh" content="300">'
    page = html("Cyclone warnings", "<p>Updated every five minutes.</p>", head=reload)
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_an_age_gate_the_site_answers_every_address_with_is_unknown():
    page = html("Domaine", "<h1>Bienvenue</h1><p>Pour accéder à ce site, vous devez avoir l'âge légal.</p><form>")
    assert everywhere(page).outcome == "blocked"


def test_a_page_whose_only_message_is_a_script_alert_saying_the_post_is_gone_is_a_soft_404():
    page = html("Board", "<script>alert('존재하지 않는 게시물입니다.'); history.back();</script>")
    found = verdict(fetched(page=page), probe(404))
    assert (found.finding, found.outcome) == ("soft-404", "failure")


def test_a_suspended_account_answered_with_503_is_suspended():
    page = html("Account suspended", "<h1>This account has been suspended</h1><p>Contact your hosting provider.</p>")
    assert verdict(fetched(status=503, page=page)).finding == "suspended"


def test_a_placeholder_word_in_the_title_of_a_long_announcement_is_not_a_placeholder():
    page = html("Prochainement : l'édition 2027", f"<h1>Prochainement : l'édition 2027</h1><p>{ARTICLE[:1400]}</p>")
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_a_short_registration_form_guarded_by_a_captcha_is_not_a_challenge():
    page = html(
        "Inschrijven voor de training",
        "<h1>Inschrijven</h1><form><input name='naam'><input type='email' name='email'><input name='organisatie'>"
        "<script src='https://www.google.com/recaptcha/api.js'></script><label>Ik ben geen robot</label></form>",
    )
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_a_virtual_waiting_room_the_site_answers_every_address_with_is_unknown():
    busy = "ただいまアクセスが集中しています"
    page = html(busy, f"<h1>{busy}</h1><p>順番にご案内します。</p>")
    assert everywhere(page).outcome == "blocked"


def test_an_age_gate_that_mentions_what_is_for_sale_is_a_wall_not_a_domain_for_sale():
    page = html(
        "Welcome | Island Brewing",
        "<h1>Welcome</h1><p>Our beers for sale are for adults. Are you over 18? Enter your date of birth.</p>"
        "<form><input name='dob'></form>",
    )
    assert everywhere(page).outcome == "blocked"


def test_a_page_of_no_text_whose_script_sends_readers_to_a_parking_lander_is_parked():
    page = html("", '<script>window.location.href = "http://ww1.example.org/lander";</script>')
    assert everywhere(page).finding == "parked"


def test_a_deep_link_sent_to_a_shibboleth_discovery_service_is_a_sign_in_wall():
    landing = "https://example.org/shibboleth-ds/index.html?entityID=https%3A%2F%2Fsp.example.org&return=x"
    found = verdict(fetched(chain=(Hop(URL, 302),), final_url=landing, page=html("Select your institution")))
    assert found.finding == "sign-in"


def test_a_short_notice_that_a_public_service_is_suspended_is_ok():
    page = html(
        "Notice: ferry service suspended",
        "<h1>Ferry service suspended</h1><p>The inter-island ferry service is suspended until the cyclone passes."
        " Updates will be posted here and on the ministry's radio bulletin.</p>",
    )
    assert verdict(fetched(page=page), probe(404)).finding == "ok"


def test_a_thai_hosting_account_suspended_page_answered_with_403_is_suspended():
    page = html("บัญชีถูกระงับ", "<h1>เว็บไซต์นี้ถูกระงับการใช้งาน</h1>")
    assert verdict(fetched(status=403, page=page)).finding == "suspended"


# Each refusal status: forbidden, unless the page served before and a path that cannot exist gets the same answer

REFUSED = html("Error", "<h1>Error</h1><p>The request could not be served.</p>")
REFUSALS = pytest.mark.parametrize("status", [403, 406, 451, 999], ids=["403", "406", "451", "999"])


@REFUSALS
def test_a_refusal_on_first_contact_is_forbidden_whatever_the_probe_gets(status):
    found = verdict(fetched(status=status, page=REFUSED), probe(status, REFUSED))
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "on first contact" in found.detail and "refusal is not absence" in found.detail


@REFUSALS
def test_a_refusal_of_a_page_that_served_before_that_a_missing_path_also_gets_is_gone(status):
    found = verdict(fetched(status=status, page=REFUSED), probe(status, REFUSED), served_at=SERVED)
    assert (found.finding, found.outcome) == ("http", "failure")
    assert "a path that cannot exist gets the very same page" in found.detail
    assert "until 2026-09-01, so it is gone" in found.detail


def test_a_refusal_names_its_status_in_the_reason():
    assert verdict(fetched(status=451, page=REFUSED)).detail.startswith("451 Unavailable For Legal Reasons on first")
    assert verdict(fetched(status=999, page=REFUSED)).detail.startswith("HTTP 999 on first contact")


@pytest.mark.parametrize(
    "missing",
    [
        None,
        Fetch(url=probe_url(URL), error_class="timeout", error="timed out"),
        Fetch(url=probe_url(URL)),
    ],
    ids=["no-probe", "probe-failed", "probe-without-status"],
)
def test_a_refusal_of_a_page_that_served_before_is_not_gone_when_the_host_could_not_be_probed(missing):
    found = verdict(fetched(status=403, page=REFUSED), missing, served_at=SERVED)
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "could not be probed" in found.detail


def test_an_object_stores_refusal_of_a_key_that_served_before_is_not_gone_when_the_host_could_not_be_probed():
    found = verdict(fetched(status=403, page=s3_denied("4442587FB7D0A2F9")), None, served_at=SERVED)
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "('AccessDenied'); the host could not be probed" in found.detail


def test_a_refusal_that_a_missing_path_gets_in_other_words_is_not_gone():
    other = html("Access refused", f"<h1>Access refused</h1><p>{ARTICLE}</p>")
    found = verdict(fetched(status=403, page=REFUSED), probe(403, other), served_at=SERVED)
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "while a path that cannot exist gets 403 Forbidden" in found.detail


def test_an_object_stores_refusal_on_first_contact_names_its_code():
    found = verdict(fetched(status=403, page=s3_denied("4442587FB7D0A2F9")), probe(403, s3_denied("9A1C0B7E")))
    assert found.finding == "forbidden"
    assert found.detail.startswith("403 Forbidden ('AccessDenied') on first contact")


def test_an_object_store_that_answers_a_missing_key_with_no_such_key_refuses_the_key_rather_than_lacking_it():
    missing = s3_denied("9A1C0B7E33D2F5E1").replace("AccessDenied", "NoSuchKey")
    found = verdict(fetched(status=403, page=s3_denied("4442587FB7D0A2F9")), probe(404, missing), served_at=SERVED)
    assert (found.finding, found.outcome) == ("forbidden", "blocked")
    assert "while a path that cannot exist gets 404 Not Found" in found.detail
    assert "refuses this page rather than not having it" in found.detail


def test_an_object_stores_refusal_in_another_code_for_a_missing_key_is_not_the_same_answer():
    missing = s3_denied("9A1C0B7E33D2F5E1").replace("AccessDenied", "AllAccessDisabled")
    found = verdict(fetched(status=403, page=s3_denied("4442587FB7D0A2F9")), probe(403, missing), served_at=SERVED)
    assert found.finding == "forbidden", found.detail


@pytest.mark.parametrize(
    ("status", "served_at", "asks"),
    [
        (403, SERVED, True),
        (406, SERVED, True),
        (451, SERVED, True),
        (999, SERVED, True),
        (403, None, False),
        (404, SERVED, False),
        (500, SERVED, False),
        (200, SERVED, False),
    ],
    ids=["403", "406", "451", "999", "never-served", "404", "500", "200"],
)
def test_only_a_refusal_of_a_page_that_served_before_needs_the_refusal_probe(status, served_at, asks):
    assert needs_refusal_probe(fetched(status=status, page=REFUSED), served_at) is asks


# A page the site answers every address with: gone only if it says so or sends the link home


def test_a_page_every_address_gets_that_says_it_is_not_found_names_the_words():
    found = everywhere(html("Page not found", "<h1>Page not found</h1>"))
    assert (found.finding, found.outcome) == ("soft-404", "failure")
    assert found.detail == (
        "soft 404: 200 with this host's error page, which says 'not found'"
        " (a path that cannot exist gets the very same page)"
    )


@pytest.mark.parametrize(
    ("title", "heading", "said"),
    [
        ("404 - Ministry of Fisheries", "Ministry of Fisheries", "404"),
        ("Ministry of Fisheries", "Sorry, this page does not exist", "does not exist"),
    ],
    ids=["in-the-title", "in-a-heading"],
)
def test_a_long_page_every_address_gets_that_says_not_found_in_its_title_or_a_heading_is_a_soft_404(
    title, heading, said
):
    found = everywhere(html(title, f"<h1>{heading}</h1><p>{ARTICLE}</p>"))
    assert found.finding == "soft-404"
    assert f"which says '{said}'" in found.detail


def neutral_text(length: int) -> str:
    """`length` characters of words that say nothing of an error."""
    text = ("toolkit " * (length // 8 + 1))[:length]
    return text[:-1] + "s" if text.endswith(" ") else text


@pytest.mark.parametrize(
    ("before", "finding"),
    [(1000 - len(" not found"), "soft-404"), (1001 - len(" not found"), "suspect-404")],
    ids=["ends-at-the-1000th-character", "one-character-later"],
)
def test_error_words_count_only_at_the_start_of_the_main_text(before, finding):
    page = html("Ministry of Fisheries", f"<p>{neutral_text(before)} not found</p>")
    assert everywhere(page).finding == finding


def test_a_deep_link_sent_home_to_a_page_every_address_gets_names_the_home_page():
    home = html("Ministry of Fisheries", f"<h1>Ministry of Fisheries</h1><p>{ARTICLE}</p>")
    found = everywhere(home, chain=(Hop(URL, 302),), final_url="https://files.example.org/")
    assert (found.finding, found.outcome) == ("home-redirect", "failure")
    assert "redirected to the home page https://files.example.org/" in found.detail


def test_a_deep_link_sent_home_to_a_page_saying_not_found_is_a_soft_404():
    page = html("Page not found", "<h1>Page not found</h1>")
    found = everywhere(page, chain=(Hop(URL, 302),), final_url="https://files.example.org/")
    assert found.finding == "soft-404"


def test_a_link_not_sent_anywhere_to_a_long_page_every_address_gets_is_only_a_suspicion():
    found = everywhere(html("Ministry of Fisheries", f"<h1>Ministry of Fisheries</h1><p>{ARTICLE}</p>"))
    assert found.detail.endswith("and it does not say the page is gone; a person should look")


def test_a_walls_page_every_address_gets_is_not_judged_and_names_the_wall():
    page = html("Welcome", "<h1>Welcome</h1><p>You must be over 18 to enter this site. Enter your date of birth.</p>")
    found = everywhere(page)
    assert (found.finding, found.outcome) == ("catch-all", "blocked")
    assert "the site answers every address with the same page" in found.detail
    assert "a page that says" in found.detail and "not judged; a person must look" in found.detail


@pytest.mark.parametrize(
    ("count", "finding"),
    [(11, "catch-all"), (12, "suspect-404")],
    ids=["below-too-few-words", "at-too-few-words"],
)
def test_a_page_every_address_gets_with_almost_no_words_is_a_stand_in(count, finding):
    found = everywhere(html("Ministry of Fisheries", f"<p>{' '.join(['toolkit'] * count)}</p>"))
    assert found.finding == finding
    if finding == "catch-all":
        assert f"a page of {count} words" in found.detail
