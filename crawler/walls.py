"""Walls: answers that keep a checker out without saying anything of the page behind them.

A 401, a CDN's or web firewall's block page, a bot challenge, a redirect to a sign-in page, a 429:
the page may be perfectly alive, so each is `blocked` (the link's state becomes `unknown`), never a
failure, and its reason says what was seen and that a person must look. A plain 403 from an ordinary
server is not a wall: the site itself refuses the page, and that stays a failure.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler import cues
from crawler.fetched import Fetch, Verdict, status_line
from linkkeeper.quote import shown

LOOK = "a person must look"
# An interstitial says little: a page longer than this is the site's own page, whatever widget it embeds.
INTERSTITIAL_WORDS = 150
_BLOCKING_STATUSES = frozenset({202, 403, 429, 503})
_FIREWALL_STATUSES = frozenset({403, 406})


def judge_wall(fetch: Fetch) -> Verdict | None:
    status = fetch.status
    if status == 401:
        scheme = fetch.headers.get("www-authenticate", "").split(" ", 1)[0] or "no scheme given"
        return Verdict("auth-required", f"401 Unauthorized: the server asks for a login ({shown(scheme, 30)}); {LOOK}")
    challenge = challenge_evidence(fetch)
    if challenge:
        return Verdict("bot-challenge", f"bot challenge ({status_line(status)}, {challenge}): not judged; {LOOK}")
    if status == 429:
        return Verdict("rate-limited", f"429 Too Many Requests: the server asked us to slow down; {LOOK} if it lasts")
    if status in _FIREWALL_STATUSES or (status is not None and status < 300):
        firewall = firewall_evidence(fetch, by_headers=status in _FIREWALL_STATUSES)
        if firewall:
            return Verdict("waf-blocked", f"{status_line(status)} from {firewall}: the checker was kept out; {LOOK}")
    if status is not None and status < 400:
        sign_in = sign_in_evidence(fetch)
        if sign_in:
            return Verdict("sign-in", f"lands on a sign-in page ({sign_in}): not judged; {LOOK}")
    return None


def is_bot_challenge(fetch: Fetch) -> bool:
    """For the retry middleware: a challenge is answered the same way however often it is asked."""
    return challenge_evidence(fetch) is not None


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
    words = cues.CHALLENGE_WORDS.search(" ".join((*named, page.text[:3000])))
    blocking = fetch.status in _BLOCKING_STATUSES
    if not (words or blocking):
        return None
    marker = cues.CHALLENGE_MARKERS.search(page.markup)
    if blocking and (marker or words):
        return _seen(marker, words)
    titled = words and any(cues.CHALLENGE_WORDS.search(text) for text in named)
    if marker and (words or titled):
        return _seen(marker, words)
    if titled and page.word_count <= 40:
        return _seen(None, words)
    return None


def firewall_evidence(fetch: Fetch, by_headers: bool = True) -> str | None:
    """The CDN or firewall that answered: by its headers, or by the words of its block page.

    Some firewalls send their block page with status 200; a CDN's headers come with every page it
    serves, so on a success only the block page's own words count.
    """
    headers = fetch.headers
    page = fetch.page
    if page.word_count <= INTERSTITIAL_WORDS:
        words = cues.WALL_WORDS.search(" ".join((page.title, *page.headings, page.text[:3000])))
        if words:
            return f"a firewall (its page says {shown(words.group(0), 60)})"
    if not by_headers:
        return None
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


def sign_in_evidence(fetch: Fetch) -> str | None:
    """A deep link that ends on a login form or an identity provider, unless the link is the login page itself."""
    if _sign_in_url(fetch.url):
        return None
    page = fetch.page
    if fetch.chain and fetch.final_url and fetch.final_url != fetch.url and _sign_in_url(fetch.final_url):
        return f"redirected to {shown(fetch.final_url, 100)}"
    titled = any(cues.SIGN_IN_WORDS.search(text) for text in (page.title, *page.headings))
    if page.password_field and titled and page.word_count <= INTERSTITIAL_WORDS * 2:
        return f"a password form titled {shown(page.title or page.heading, 60)}"
    return None


def _sign_in_url(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == known or host.endswith("." + known) for known in cues.SIGN_IN_HOSTS):
        return True
    if "samlrequest=" in parts.query.lower():
        return True
    return bool(cues.SIGN_IN_PATH.search(parts.path))


def _seen(marker, words) -> str:
    found = [
        f"marker {shown(marker.group(0), 40)}" if marker else "",
        f"says {shown(words.group(0), 40)}" if words else "",
    ]
    return ", ".join(item for item in found if item)
