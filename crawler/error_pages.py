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
from urllib.parse import urlsplit

from crawler import cues
from crawler.fetched import Fetch, Verdict
from linkkeeper.quote import shown

# Landers, error and default pages say little; a page longer than this is somebody's content.
SHORT_PAGE_WORDS = 250
# The share of a title a default page's phrase fills ("Welcome to nginx!", "Apache2 Debian Default Page: It works").
DEFAULT_TITLE_SHARE = 0.4


def judge_error_page(fetch: Fetch, host_wide: str | None) -> Verdict | None:
    """`host_wide` is the probe's evidence that the whole host answers with this page, if it does."""
    landed = _provider_host(fetch)
    if landed:
        finding = "for-sale" if landed in cues.SALE_PROVIDERS else "parked"
        return Verdict(finding, f"{_LABELS[finding]}: redirected to {landed}")
    kinds = [(finding, words, confirm(fetch)) for finding, words, confirm in _KINDS]
    for titled_only in (True, False):  # what a page calls itself outweighs what it merely mentions
        for finding, words, confirmed in kinds:
            verdict = _judge(fetch, finding, words, confirmed, host_wide, titled_only)
            if verdict:
                return verdict
    return None


def _judge(
    fetch: Fetch, finding: str, words: re.Pattern, confirmed: str | None, host_wide: str | None, titled_only: bool
) -> Verdict | None:
    page = fetch.page
    titled = next((m for text in (page.title, *page.headings) if (m := _names(words, text, finding))), None)
    short = page.word_count <= SHORT_PAGE_WORDS
    signs = [
        sign for sign in (confirmed, host_wide, f"a short page ({page.word_count} words)" if short else None) if sign
    ]
    if not ((titled and signs) or (short and len(signs) >= 2)):
        return None  # before the page's whole text is searched: that costs more than the rest of the verdict
    said = titled or (None if titled_only else words.search(page.text))
    if not said:
        return None
    where = "titled" if titled else "says"
    return Verdict(finding, f"{_LABELS[finding]}: {where} {shown(said.group(0), 60)}; {'; '.join(signs)}")


def _names(words: re.Pattern, text: str, finding: str) -> re.Match | None:
    """The words in a title or heading; a default page's title is its phrase, not an article quoting it."""
    match = words.search(text)
    if match and finding == "default-page" and len(match.group(0)) < DEFAULT_TITLE_SHARE * len(text):
        return None
    return match


def judge_default_page(fetch: Fetch) -> Verdict | None:
    """Some servers send their test page with 403 (Red Hat's `welcome.conf`): name it, it is no plain refusal."""
    return _judge(fetch, "default-page", _DEFAULT_WORDS, _default_server(fetch), None, titled_only=True)


def _provider_host(fetch: Fetch) -> str | None:
    """Redirected to a domain marketplace or parking service: the domain no longer serves its own pages."""
    if not fetch.chain:
        return None
    host = (urlsplit(fetch.landed).hostname or "").lower()
    for provider in (*cues.SALE_PROVIDERS, *cues.PARKING_PROVIDERS):
        domain = provider.split("/", 1)[0]
        if "." in domain and (host == domain or host.endswith("." + domain)):
            return provider
    return None


def _in_markup(providers: tuple[str, ...], markers: re.Pattern | None = None) -> Callable[[Fetch], str | None]:
    def confirm(fetch: Fetch) -> str | None:
        markup = fetch.page.markup
        found = next((provider for provider in providers if provider in markup), None)
        if found:
            return f"code from {found}"
        marker = markers.search(markup) if markers else None
        return f"marker {shown(marker.group(0), 30)}" if marker else None

    return confirm


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


_DEFAULT_WORDS = re.compile("|".join(f"(?:{words.pattern})" for _, words in cues.DEFAULT_PAGES), re.I | re.M)

_KINDS: tuple[tuple[str, re.Pattern, Callable[[Fetch], str | None]], ...] = (
    ("suspended", cues.SUSPENDED_WORDS, _suspended_address),
    ("default-page", _DEFAULT_WORDS, _default_server),
    ("parked", cues.PARKING_WORDS, _in_markup(cues.PARKING_PROVIDERS, cues.PARKING_MARKERS)),
    ("for-sale", cues.SALE_WORDS, _in_markup(cues.SALE_PROVIDERS)),
    ("placeholder", cues.PLACEHOLDER_WORDS, _nothing),
)

_LABELS = {
    "suspended": "hosting account suspended",
    "default-page": "a web server's default page",
    "parked": "parked domain",
    "for-sale": "domain for sale",
    "placeholder": "placeholder page",
}
