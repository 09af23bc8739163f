"""Pages that stand in for a vanished site: parked, for sale, suspended, a server's default page, a placeholder.

Words alone never decide: a live article may well say "for sale" or "coming soon". A page is judged
one of these only when it says so in its title or headings and something of another kind agrees (it is
short, as such pages are; the whole host answers with it; a parking provider's code is on it; the
`Server` header names the server whose default page it is; the address is a hosting panel's), or when
its words and two such signs agree. The reason names what was seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from crawler.rules import cues
from crawler.rules.fetched import Fetch, Verdict
from crawler.rules.page import Page
from crawler.rules.walls import TOO_FEW_WORDS
from linkkeeper.quote import shown
from linkkeeper.urls import on_domain

# Landers, error and default pages say little; a page longer than this is somebody's content.
SHORT_PAGE_WORDS = 250
# A placeholder says less still: a line and a countdown. A page announcing an edition or a launch at length
# ("Coming soon: the 2027 edition", and its programme) is the resource.
PLACEHOLDER_WORDS = 100
# The share of a title a default page's phrase fills ("Welcome to nginx!", "Apache2 Debian Default Page: It works").
DEFAULT_TITLE_SHARE = 0.4


def judge_error_page(fetch: Fetch, host_wide: str | None, stand_in: str | None = None) -> Verdict | None:
    """`host_wide` is the probe's evidence that the whole host answers with this page, if it does; `stand_in`
    what shows that page to be a wall's (crawler.rules.walls.stand_in_evidence).

    What a page calls itself outweighs what it merely mentions: every kind is tried by its title and
    headings before any is searched for in the page's whole text, and a wall outweighs what its text
    merely mentions (an age gate's "beer for sale") unless the kind's own sign agrees (a parking provider's
    code)."""
    landed = _provider_host(fetch)
    if landed:
        finding = "for-sale" if landed in cues.SALE_PROVIDERS else "parked"
        return Verdict(finding, f"{_LABELS[finding]}: redirected to {landed}")
    lander = _script_to_lander(fetch)
    if lander:
        return Verdict("parked", f"{_LABELS['parked']}: a page of no text whose script sends readers to {lander}")
    page = fetch.page
    short = page.word_count <= SHORT_PAGE_WORDS
    said_only = []
    for finding, words, confirm in _KINDS:
        titled = _titled(page, words, finding)
        if not (titled or short):
            continue  # a long page is judged by its title alone: no sign of another kind can help
        own = confirm(fetch)
        signs = _signs(own, host_wide, page, finding)
        if titled and signs:
            return _verdict(finding, "titled", titled, signs)
        if not titled and len(signs) >= 2 and (own or not stand_in):  # a wall's words outweigh words alone
            said_only.append((finding, words, signs))
    for finding, words, signs in said_only:  # the whole text is searched last: it costs more than the rest
        said = words.search(page.text)
        if said:
            return _verdict(finding, "says", said, signs)
    return None


def judge_refused_page(fetch: Fetch) -> Verdict | None:
    """Some servers send their test page with 403 (Red Hat's `welcome.conf`), and some hosts their suspended
    account's page with 403 or 503: name it by its title, it is no plain error and no wall."""
    for finding, words, confirm in _REFUSED_KINDS:
        titled = _titled(fetch.page, words, finding)
        signs = _signs(confirm(fetch), None, fetch.page, finding) if titled else []
        if signs:
            return _verdict(finding, "titled", titled, signs)
    return None


def _titled(page: Page, words: cues.Phrases, finding: str) -> re.Match | None:
    """The words in the title or a heading; a default page's title is its phrase, not an article quoting it, and
    a domain sale's names the domain."""
    for text in (page.title, *page.headings):
        match = words.search(text)
        if match and _TITLE_RULES.get(finding, _anywhere)(match, text):
            return match
    return None


def _anywhere(match: re.Match, text: str) -> bool:
    return True


def _fills_the_title(match: re.Match, text: str) -> bool:
    return len(match.group(0)) >= DEFAULT_TITLE_SHARE * len(text)


def _names_a_domain(match: re.Match, text: str) -> bool:
    return cues.DOMAIN_NAMED.search(text) is not None


# How a kind's words must stand in a title or heading to name the page; any other kind's, anywhere in it.
_TITLE_RULES = {"default-page": _fills_the_title, "for-sale": _names_a_domain}


def _signs(confirmed: str | None, host_wide: str | None, page: Page, finding: str) -> list[str]:
    """The evidence of other kinds that agrees with the words: the kind's own, the probe's, the page's length."""
    limit = PLACEHOLDER_WORDS if finding == "placeholder" else SHORT_PAGE_WORDS
    short = f"a short page ({page.word_count} words)" if page.word_count <= limit else None
    return [sign for sign in (confirmed, host_wide, short) if sign]


def _verdict(finding: str, where: str, said: re.Match, signs: list[str]) -> Verdict:
    return Verdict(finding, f"{_LABELS[finding]}: {where} {shown(said.group(0), 60)}; {'; '.join(signs)}")


def _provider_host(fetch: Fetch) -> str | None:
    """Redirected to a domain marketplace or parking service: the domain no longer serves its own pages."""
    if not fetch.chain:
        return None
    for provider in (*cues.SALE_PROVIDERS, *cues.PARKING_PROVIDERS):
        domain = provider.split("/", 1)[0]
        if "." in domain and on_domain(fetch.landed, domain):
            return provider
    return None


def _script_to_lander(fetch: Fetch) -> str | None:
    """A page of no text that a script sends on to a parking provider or lander: a redirect in all but name."""
    page = fetch.page
    if page.word_count >= TOO_FEW_WORDS or not cues.NAVIGATION_SCRIPT.search(page.markup):
        return None
    provider, marker = _provider_or_marker(page.markup, cues.PARKING_PROVIDERS, cues.PARKING_MARKERS)
    return provider or (shown(marker.group(0), 30) if marker else None)


def _in_markup(fetch: Fetch, providers: tuple[str, ...], markers: re.Pattern | None = None) -> str | None:
    """A provider's code, or a marker of its pages, in the markup: bound to its providers where the kinds are
    listed, for a closure made there would be made once, at import, out of reach of bench/mutation.py."""
    provider, marker = _provider_or_marker(fetch.page.markup, providers, markers)
    if provider:
        return f"code from {provider}"
    return f"marker {shown(marker.group(0), 30)}" if marker else None


def _provider_or_marker(
    markup: str, providers: tuple[str, ...], markers: re.Pattern | None
) -> tuple[str | None, re.Match | None]:
    """The first provider whose code the markup holds; failing that, the first of its markers found in it."""
    provider = next((name for name in providers if name in markup), None)
    if provider or markers is None:
        return provider, None
    return None, markers.search(markup)


def _suspended_address(fetch: Fetch) -> str | None:
    return f"served from {shown(fetch.path, 60)}" if cues.SUSPENDED_PATH.search(fetch.path) else None


def _nothing(fetch: Fetch) -> None:
    return None


def _default_server(fetch: Fetch) -> str | None:
    """The `Server` header names the server whose default page the words belong to, or the page has its images."""
    server = fetch.headers.get("server", "").lower()
    page = fetch.page
    for name, words in cues.DEFAULT_PAGES:
        if name and name in server and any(words.search(text) for text in (page.title, *page.headings, page.text)):
            return f"server: {shown(server, 40)}"
    marker = cues.DEFAULT_MARKERS.search(page.markup)
    return f"marker {shown(marker.group(0), 40)}" if marker else None


_DEFAULT_WORDS = cues.Phrases(*(words.pattern for _, words in cues.DEFAULT_PAGES), flags=re.M)

_KINDS: tuple[tuple[str, cues.Phrases, Callable[[Fetch], str | None]], ...] = (
    ("suspended", cues.SUSPENDED_WORDS, _suspended_address),
    ("default-page", _DEFAULT_WORDS, _default_server),
    ("parked", cues.PARKING_WORDS, partial(_in_markup, providers=cues.PARKING_PROVIDERS, markers=cues.PARKING_MARKERS)),
    ("for-sale", cues.SALE_WORDS, partial(_in_markup, providers=cues.SALE_PROVIDERS)),
    ("placeholder", cues.PLACEHOLDER_WORDS, _nothing),
)

_REFUSED_KINDS = tuple(kind for kind in _KINDS if kind[0] in ("suspended", "default-page"))

_LABELS = {
    "suspended": "hosting account suspended",
    "default-page": "a web server's default page",
    "parked": "parked domain",
    "for-sale": "domain for sale",
    "placeholder": "placeholder page",
}
