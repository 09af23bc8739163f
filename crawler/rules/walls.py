"""Walls: answers that keep a checker out without saying anything of the page behind them.

A 401, a CDN's or web firewall's block page, a refusal that speaks of blocking, a bot challenge or an
interstitial (whatever its status), a redirect to a sign-in page, a 429: the page may be perfectly alive,
so each is `blocked` (the link's state becomes `unknown`), never a failure, and its reason says what was
seen and that a person must look. A refusal in no such words is judged by crawler.rules.absence.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.rules import cues
from crawler.rules.fetched import WEB_SCHEMES, Fetch, Verdict, status_line
from linkkeeper.quote import shown
from linkkeeper.urls import on_any_domain

LOOK = "a person must look"
# An interstitial says little: a page longer than this is the site's own page, whatever widget it embeds.
INTERSTITIAL_WORDS = 150
# A stub that only runs a script, refreshes or frames another page shows at most a line or two of text.
STUB_WORDS = 40
# Below this, a page gives a reader nothing to read: a script stub, an application shell, an empty page.
TOO_FEW_WORDS = 12
# A sign-in page is a form and a few lines around it, asking for a name and perhaps the password.
SIGN_IN_PAGE_WORDS = 300
SIGN_IN_FIELDS = 2
# Where a page says what it is: its title, headings and the start of its text. A wall's page says it at once.
VISIBLE_CHARACTERS = 1500
# A challenge sends the browser on within seconds; a page that refreshes later is reloading its own content.
PROMPT_REFRESH_SECONDS = 30
_BLOCKING_STATUSES = frozenset({202, 403, 429, 503})
# Refusals: the server will not give the page, which is not the same as not having it (crawler.rules.absence).
# 999 is no HTTP status: some large sites answer checkers with it.
REFUSALS = frozenset({403, 406, 451, 999})
# The statuses that say the page is not there: no words on their page make them a wall.
ABSENT = frozenset({404, 410})


def short_of_absence(status: int | None) -> bool:
    """An error status that does not say the page is not there: a refusal, a server error, a challenge's 412."""
    return status is not None and status >= 400 and status not in ABSENT


def judge_wall(fetch: Fetch) -> Verdict | None:
    status = fetch.status
    if status in (401, 407):
        scheme = fetch.headers.get("www-authenticate", fetch.headers.get("proxy-authenticate", "")).split(" ", 1)[0]
        return Verdict(
            "auth-required",
            f"{status_line(status)}: the server asks for a login ({shown(scheme or 'no scheme given', 30)}); {LOOK}",
        )
    challenge = challenge_evidence(fetch) or interstitial_evidence(fetch)
    if challenge:
        return Verdict("bot-challenge", f"bot challenge ({status_line(status)}, {challenge}): not judged; {LOOK}")
    if status == 429:
        return Verdict("rate-limited", f"429 Too Many Requests: the server asked us to slow down; {LOOK} if it lasts")
    firewall = None
    if status in REFUSALS or (status is not None and status < 300):
        firewall = firewall_evidence(fetch, refusal=status in REFUSALS)
    elif short_of_absence(status):
        firewall = blocking_evidence(fetch)
    if firewall:
        return Verdict("waf-blocked", f"{status_line(status)} from {firewall}: the checker was kept out; {LOOK}")
    if status is not None and status < 400:
        sign_in = sign_in_evidence(fetch)
        if sign_in:
            return Verdict("sign-in", f"lands on a sign-in page ({sign_in}): not judged; {LOOK}")
    return None


def is_bot_challenge(fetch: Fetch) -> bool:
    """For the retry middleware: a challenge or an interstitial is answered the same way however often it is asked."""
    return (challenge_evidence(fetch) or interstitial_evidence(fetch)) is not None


def challenge_evidence(fetch: Fetch) -> str | None:
    """What shows an anti-bot challenge: its header, or its markers and words on a page too short to be content.

    The words are looked for in the title, headings and text together first: words of a title are found there
    too (CHALLENGE_WORDS has no anchors), so without them only a blocking status with a marker can be one, and
    the markup is not searched for markers on an ordinary page."""
    headers, page = fetch.headers, fetch.page
    if headers.get("cf-mitigated") == "challenge" or headers.get("x-vercel-mitigated") == "challenge":
        return "challenge header"
    if page.word_count > INTERSTITIAL_WORDS:  # a challenge is short: no need to search a long page's markup
        return None
    named = (page.title, *page.headings)
    words = cues.CHALLENGE_WORDS.search(_visible(page))
    blocking = fetch.status in _BLOCKING_STATUSES
    if not (words or blocking):
        return None
    marker = cues.CHALLENGE_MARKERS.search(page.markup)
    if blocking and (marker or words):
        return _seen(marker, words)
    titled = words and any(cues.CHALLENGE_WORDS.search(text) for text in named)
    if marker and (titled or (words and not _own_form(page.markup))):
        return _seen(marker, words)
    if titled and page.word_count <= STUB_WORDS:
        return _seen(None, words)
    return None


def _own_form(markup: str) -> bool:
    """A form of more fields than a sign-in's or a challenge's: the page's own, which a captcha only guards."""
    return len(cues.FILLED_FIELD.findall(markup)) > SIGN_IN_FIELDS


def firewall_evidence(fetch: Fetch, refusal: bool = True) -> str | None:
    """The CDN or firewall that answered, or the refusal's own words of blocking.

    Some firewalls send their block page with status 200; a CDN's headers come with every page it
    serves, so on a success only the block page's own words count. A refusal (403, 406, 451) is a wall
    when its page speaks of blocking in any words (banned, denied, your IP, not allowed, ...), or when a
    CDN or firewall sent it; an object store's refusal is neither, whoever carried it (crawler.rules.absence).
    """
    headers = fetch.headers
    page = fetch.page
    if refusal and object_store_error(fetch):
        return None
    if page.word_count <= INTERSTITIAL_WORDS:
        words = cues.WALL_WORDS.search(_visible(page))
        if words:
            return f"a firewall (its page says {shown(words.group(0), 60)})"
    if not refusal:
        return None
    words = blocking_evidence(fetch)
    if words:
        return words
    server = headers.get("server", "").lower()
    if any(name in server for name in cues.WALL_SERVERS):
        return f"a CDN or firewall (server: {shown(server, 40)})"
    for name in headers:
        if name in cues.WALL_HEADERS or name.startswith(cues.WALL_HEADER_PREFIXES):
            return f"a CDN or firewall (header {shown(name, 40)})"
    cdn = cues.WALL_CDN_VALUES.search(headers.get("x-cdn", "") + " " + headers.get("via", ""))
    if cdn:
        return f"a CDN or firewall ({cdn.group(0)})"
    return None


def blocking_evidence(fetch: Fetch) -> str | None:
    """An error page that says it blocks the checker: a wall whatever its status, short of 404 and 410."""
    page = fetch.page
    visible = _visible(page)
    words = cues.BLOCKING_WORDS.search(visible) or cues.CHALLENGE_WORDS.search(visible)
    if words:
        return f"a server that says it blocks the checker ({shown(words.group(0), 60)})"
    marker = cues.CAPTCHA_MARKERS.search(page.markup) if page.word_count <= INTERSTITIAL_WORDS else None
    return f"a server that asks for a captcha ({shown(marker.group(0), 30)})" if marker else None


def object_store_error(fetch: Fetch) -> str | None:
    """An object store's (S3, Google Cloud Storage, Azure Blob) error document: its code, such as AccessDenied."""
    match = cues.OBJECT_STORE_ERROR.search(fetch.page.markup[:2000])
    if not match:
        return None
    said = re.search(re.escape(match.group(1)), fetch.page.text, re.I)  # as the store spells it: AccessDenied
    return said.group(0) if said else match.group(1)


def interstitial_evidence(fetch: Fetch) -> str | None:
    """A page that only stands between the reader and the site, whatever its status: it refreshes itself,
    sets a cookie and reloads, frames a check, or says it checks the browser. Each is a page of a few words."""
    page = fetch.page
    if not page.markup or page.word_count > STUB_WORDS:
        return None
    markup = page.markup
    words = cues.INTERSTITIAL_WORDS.search(_visible(page))
    if words:
        return f"an interstitial that says {shown(words.group(0), 40)}"
    if cues.COOKIE_SCRIPT.search(markup) and cues.NAVIGATION_SCRIPT.search(markup):
        return "an interstitial whose script sets a cookie and reloads the page"
    if _prompt_refresh(markup):
        return "an interstitial that refreshes itself at once"
    stub = cues.STUB_WORDS.search(_visible(page))
    framed = cues.IFRAME.search(markup) and page.word_count < TOO_FEW_WORDS
    if framed and (cues.NOSCRIPT.search(markup) or stub or not 200 <= (fetch.status or 0) < 300):
        return "an interstitial that is only a frame"
    if short_of_absence(fetch.status) and page.word_count < TOO_FEW_WORDS and cues.SCRIPT.search(markup):
        return "a page that is only a script"
    return None


def _prompt_refresh(markup: str) -> bool:
    """A meta refresh within seconds still on the page: the crawler follows one to another address, and one back
    to a page already visited once, so what is left points back at the page. A page that reloads itself every
    few minutes (a status board) is no interstitial, nor one whose refresh leads out of the web, which no
    browser follows."""
    for tag in cues.META_REFRESH.finditer(markup):
        delay = cues.REFRESH_DELAY.search(tag.group(0))
        target = cues.REFRESH_TARGET.search(tag.group(0))
        elsewhere = target and cues.URL_SCHEME.match(target.group(1)) and not target.group(1).startswith(WEB_SCHEMES)
        if delay and float(delay.group(1)) < PROMPT_REFRESH_SECONDS and not elsewhere:
            return True
    return False


def stand_in_evidence(fetch: Fetch) -> str | None:
    """What shows that a page a site answers every address with is a stand-in that says nothing of the page
    asked for: a sign-in, a challenge or block page, an interstitial, an age or consent gate, a gate's form."""
    sign_in = sign_in_evidence(fetch)
    if sign_in:
        return f"a sign-in page: {sign_in}"
    page = fetch.page
    if page.word_count <= INTERSTITIAL_WORDS * 2:
        visible = _visible(page)
        words = cues.BLOCKING_WORDS.search(visible) or next(
            (m for words in _STAND_IN_WORDS if (m := words.search(visible))), None
        )
        if words:
            return f"a page that says {shown(words.group(0), 40)}"
        marker = cues.CAPTCHA_MARKERS.search(page.markup)
        if marker:
            return f"a captcha ({shown(marker.group(0), 30)})"
        if cues.RETURN_FIELD.search(page.markup):
            return "a form that carries the address on to a check"
    return interstitial_evidence(fetch)


def too_few_words(fetch: Fetch) -> str | None:
    """A page that gives a reader nothing to read: a script stub, an application shell, an empty page."""
    count = fetch.page.word_count
    if count >= TOO_FEW_WORDS:
        return None
    return f"a page of {count} words: a script stub, an application shell or an empty page"


def sign_in_evidence(fetch: Fetch) -> str | None:
    """A deep link that ends on a login form or an identity provider, unless the link is the login page itself.

    Known by the provider's host or path (Okta, Microsoft, Google, Keycloak, Auth0, Shibboleth and SAML,
    CAS, ADFS), a sign-in protocol's parameters, or the page: a password field or a provider's form, or a
    user name field on a short page titled for signing in (identifier-first sign-in asks for the password next).
    """
    if _sign_in_url(fetch.url):
        return None
    redirected = fetch.chain and fetch.final_url and fetch.final_url != fetch.url
    if redirected and (_sign_in_url(fetch.final_url) or _sign_in_host(fetch.final_url, fetch.url)):
        return f"redirected to {shown(fetch.final_url, 100)}"
    page = fetch.page
    if page.word_count > SIGN_IN_PAGE_WORDS:
        return None
    named = (page.title, *page.headings)
    titled = any(cues.SIGN_IN_WORDS.search(text) for text in named)
    if page.password_field and titled:
        return f"a password form titled {shown(page.title or page.heading, 60)}"
    markup = page.markup
    if "<input" not in markup:  # every rule below reads a form's fields: a page without one is no form
        return None
    protocol = cues.SIGN_IN_PROTOCOL_FIELDS.search(markup)
    if protocol:
        return f"a sign-in protocol's form ({shown(protocol.group(0), 30)})"
    if not (titled or page.password_field):  # the markup is searched further only for a page that asks for it
        return None
    marker = cues.SIGN_IN_MARKERS.search(markup)
    if marker:
        return f"an identity provider's sign-in form (marker {shown(marker.group(0), 30)})"
    short = titled and page.word_count <= INTERSTITIAL_WORDS
    if short and cues.USERNAME_FIELD.search(markup) and not _own_form(markup):
        return f"a form asking for a user name, titled {shown(page.title or page.heading, 60)}"
    return None


def _sign_in_url(url: str) -> bool:
    if on_any_domain(url, cues.SIGN_IN_HOSTS):
        return True
    parts = urlsplit(url)
    return bool(cues.SIGN_IN_QUERY.search(parts.query) or cues.SIGN_IN_PATH.search(parts.path))


def _sign_in_host(url: str, origin: str) -> bool:
    """Another host named for signing in (login., sso., idp., ...): where a site sends readers to log in."""
    host, first = (urlsplit(url).hostname or "").lower(), (urlsplit(origin).hostname or "").lower()
    return host != first and host.split(".", 1)[0] in cues.SIGN_IN_HOST_LABELS


def _visible(page) -> str:
    """The title, headings and start of the text: where a short page says what it is, and a long one too."""
    return " ".join((page.title, *page.headings, page.text[:VISIBLE_CHARACTERS]))


_STAND_IN_WORDS = (
    cues.CHALLENGE_WORDS, cues.WALL_WORDS, cues.INTERSTITIAL_WORDS, cues.STUB_WORDS, cues.GATE_WORDS,
)


def _seen(marker, words) -> str:
    found = [
        f"marker {shown(marker.group(0), 40)}" if marker else "",
        f"says {shown(words.group(0), 40)}" if words else "",
    ]
    return ", ".join(item for item in found if item)
