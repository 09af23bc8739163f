"""URL comparisons that ignore what does not change the resource (case of host, default port, fragment),
and the checks that a listed URL can be fetched at all.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit, urlunsplit

from linkkeeper.quote import clip

_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048
# Unicode categories never meant inside a URL: controls, invisible formatting (bidi overrides), spaces.
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


ARCHIVED_COPY = re.compile(r"^https?://[^/?#]+/web/(\d{14})(?:[a-z]{2}_)?/((?:https?|ftp)://.+)$", re.IGNORECASE)
"""A replay address of a Wayback Machine (the Internet Archive's, or another running its software):
`/web/<timestamp>[modifier]/<original address>`."""


@functools.lru_cache(maxsize=1 << 14)
def _split(url: str) -> SplitResult:
    """A URL's parts, parsed once: a run asks each listed URL's key, host and origin in several places (the list,
    the crawlers' shares, the soft-404 probes), 0.1 s of CPU at 4,000 links before the crawl starts."""
    return urlsplit(url)


def archived_original(url: str) -> str | None:
    """The address an archived copy is a copy of, or None when `url` is not a copy's replay address."""
    found = ARCHIVED_COPY.match(url)
    return found.group(2) if found else None


def normalize(url: str) -> str:
    """A key under which two spellings of the same address compare equal: the host in its ASCII form
    (`bücher.example` is `xn--bcher-kva.example`), the path and query percent-encoded as they are sent (`/café`
    is `/caf%C3%A9`). Only a key: the URL is stored and fetched as listed."""
    parts = _split(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        user, at, domain = parts.path.lower().rpartition("@")
        return f"mailto:{user}{at}{_ascii_host(domain)}"
    host = _ascii_host((parts.hostname or "").lower())
    if ":" in host:  # an IPv6 address keeps its brackets: [::1]:8080 and [::1:8080] are two hosts
        host = f"[{host}]"
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    return urlunsplit((scheme, host, _encoded(parts.path) or "/", _encoded(parts.query), ""))


def _ascii_host(host: str) -> str:
    """A host name as it is looked up: IDNA for a name written in Unicode."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:  # a name IDNA refuses stays as written (and fails alike when fetched)
        return host


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def _encoded(text: str) -> str:
    """`text` percent-encoded one way: every character outside ASCII as its UTF-8 bytes, each escape in upper case,
    an escaped unreserved character (`%7E`, `%41`) as itself. An escaped delimiter (`%2F`) stays escaped: it
    names another resource than the delimiter."""

    if text.isascii() and "%" not in text:  # most paths and queries, read in a run's critical first second
        return text

    def escape(found: re.Match) -> str:
        character = chr(int(found.group(1), 16))
        return character if character in _UNRESERVED else f"%{found.group(1).upper()}"

    sent = "".join(
        character if ord(character) < 128 else "".join(f"%{byte:02X}" for byte in character.encode("utf-8"))
        for character in text
    )
    return _ESCAPE.sub(escape, sent)


def requestable(url: str) -> str:
    """Scrapy only accepts URLs with `//`; `mailto://user@host` also gives the mail domain a host slot."""
    return url.replace("mailto:", "mailto://", 1) if url.startswith("mailto:") else url


@functools.lru_cache(maxsize=1 << 14)
def host_key(url: str) -> str:
    """The host a check counts against for the per-host limit, as Scrapy names its download slot (the host
    name in lower case, no port; a mail address's domain): whoever splits a list between crawlers keeps
    each host in one, so that its limit holds."""
    host = _split(requestable(url)).hostname or ""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # a name IDNA refuses (a label over 63 characters) fails alike in the crawler
        return host


@functools.lru_cache(maxsize=1 << 14)
def origin(url: str) -> str:
    """Scheme, host and port in lower case (`http://example.org:8080`): what a host's soft-404 probe speaks for,
    in the crawler (crawler.rules.soft404.probe_key) and in the `probes` table alike."""
    parts = _split(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def on_domain(url: str, domain: str) -> bool:
    """Whether `url`'s host is `domain` or a name under it: `web.archive.org` is on `archive.org`,
    `notarchive.org` is not. `domain` is written in lower case."""
    return on_any_domain(url, (domain,))


def on_any_domain(url: str, domains: Iterable[str]) -> bool:
    """`on_domain` for any of `domains`, the URL read once: every page is asked about the dozens of known sign-in
    hosts, and reading its URL for each took a quarter of the time a page was judged in (profiled)."""
    host = _split(url).hostname or ""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one host, counting `www.example.org` and `example.org` as one."""
    return _site(a) == _site(b)


def _site(url: str) -> str:
    host = (_split(url).hostname or "").lower()
    return host.removeprefix("www.")


_BEYOND_PRINTABLE_ASCII = re.compile(r"[^!-~]")
"""Only a URL with a character outside printable ASCII can hold an invisible one: it alone is read a character at a
time."""


def url_problem(url: str, schemes: tuple[str, ...]) -> str | None:
    """Why `url` cannot be checked, or None when it can.

    The answer never repeats the URL: it may hold a password, and it is shown on the line that has it.
    """
    if len(url) > MAX_URL_LENGTH:
        return f"the URL is {len(url)} characters long; at most {MAX_URL_LENGTH}"
    if _BEYOND_PRINTABLE_ASCII.search(url):
        for position, character in enumerate(url, 1):
            if character.isspace() or unicodedata.category(character) in _INVISIBLE:
                return (
                    f"the URL holds a space or control character (U+{ord(character):04X}) at character {position};"
                    " write a space as %20"
                )
    try:
        parts = _split(url)
    except ValueError:
        authority = url.partition("//")[2]
        if "[" in authority or "]" in authority:
            return "the URL's host is not valid: brackets must enclose an IPv6 address, as in http://[::1]/"
        return "the URL's host holds a character that Unicode reads as / ? # @ or :"
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        shown = f"'{clip(scheme)}:'" if scheme else "no scheme"
        return f"unsupported scheme {shown} (linkkeeper checks {', '.join(schemes)})"
    if scheme == "mailto":
        address = parts.path
        return None if address.count("@") == 1 and address.split("@")[1] else "not a mail address"
    if "@" in parts.netloc:
        return "URLs with a user name or password are not supported; list the address without them"
    if not parts.hostname:
        return "the URL has no host name"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return "the URL's port must be a number from 1 to 65535"
    return None
