"""Judge one fetched response: is the resource there, at risk, gone, or hidden behind a bot wall?

Pure functions of what was fetched, so every rule is testable without a network. The outcome feeds
the health history (`linkkeeper.health`): a `failure` counts towards `dead`, a `warning` means the
real content is still served but something threatens it, `blocked` means we could not tell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from urllib.parse import urlsplit

from linkkeeper.urls import same_site

# finding -> outcome (ok, warning, failure or blocked); the finding is stored with every check as its
# machine-readable reason.
FINDINGS = {
    "ok": "ok",
    "moved": "warning",
    "cert-expiring": "warning",
    "dns": "failure",
    "refused": "failure",
    "timeout": "failure",
    "tls": "failure",
    "connection": "failure",
    "too-many-redirects": "failure",
    "unsupported-scheme": "failure",
    "http": "failure",
    "soft-404": "failure",
    "parked": "failure",
    "home-redirect": "failure",
    "bot-challenge": "blocked",
    "rate-limited": "blocked",
}

ERROR_DETAILS = {
    "dns": "host name not found",
    "refused": "connection refused",
    "timeout": "timed out",
    "tls": "TLS handshake failed",
    "connection": "connection failed",
    "too-many-redirects": "too many redirects",
    "unsupported-scheme": "redirected to an unsupported scheme",
}

# The findings that are errors of the transfer itself, stored as the check's `error_class`.
ERROR_CLASSES = frozenset({*ERROR_DETAILS, "http"})

PERMANENT_REDIRECTS = frozenset({301, 308})

_SOFT_404 = re.compile(
    r"\b(404|not found|page (?:does not|doesn't|no longer) exists?|no longer (?:available|exists)"
    r"|cannot be found|could not be found|page unavailable|page missing)\b"
)
_NOT_FOUND_PATH = re.compile(r"(^|/)(404|not[-_]?found|error[-_]?404|page[-_]?not[-_]?found)(\.\w+)?/?$")
_PARKED = re.compile(
    r"(this domain (?:name )?(?:is|may be) for sale|buy this domain|domain (?:is )?parked"
    r"|parked (?:free|domain)|domain parking|is available for purchase|sedoparking\.com"
    r"|parkingcrew\.net|bodis\.com|hugedomains\.com|afternic\.com|dan\.com/buy-domain"
    r"|window\.park\s*=|/lander\b)"
)
_PARKING_HOSTS = (
    "sedo.com", "sedoparking.com", "dan.com", "afternic.com", "hugedomains.com", "bodis.com",
    "parkingcrew.net", "above.com", "undeveloped.com", "domainmarket.com", "parklogic.com",
)
_CHALLENGE = re.compile(
    r"(just a moment\.\.\.|attention required! \| cloudflare|cf-chl-|challenge-platform"
    r"|checking your browser|ddos-guard|_incapsula_resource|px-captcha|captcha-delivery"
    r"|datadome|access denied - sucuri|please enable javascript and cookies to continue"
    r"|verify you are human|are you a robot)"
)
_CHALLENGE_HEADERS = ("cf-mitigated", "x-datadome", "x-amzn-waf-action", "x-sucuri-block")
_HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/home"})


@dataclass(frozen=True)
class Hop:
    url: str
    status: int | str


@dataclass(frozen=True)
class Fetch:
    """What one check saw: the final response (or the error) and the redirects that led to it."""

    url: str
    status: int | None = None
    final_url: str | None = None
    chain: tuple[Hop, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    title: str = ""
    heading: str = ""
    text: str = ""
    cert_expires: datetime | None = None
    mail_servers: tuple[str, ...] = ()
    error_class: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Verdict:
    finding: str
    detail: str
    moved_to: str | None = None

    @property
    def outcome(self) -> str:
        return FINDINGS[self.finding]

    @property
    def error_class(self) -> str | None:
        return self.finding if self.finding in ERROR_CLASSES else None


def judge(fetch: Fetch, now: datetime, cert_warning_days: float) -> Verdict:
    """The verdict on one fetch; the first rule that applies wins, errors before content."""
    if fetch.error_class:
        detail = ERROR_DETAILS.get(fetch.error_class, fetch.error_class)
        return Verdict(fetch.error_class, f"{detail}: {fetch.error}" if fetch.error else detail)
    if fetch.url.startswith("mailto:"):
        return Verdict("ok", f"mail servers: {', '.join(fetch.mail_servers)}")
    for rule in (_blocked, _http_error, _parked, _soft_404, _home_redirect, _expired_cert):
        verdict = rule(fetch, now)
        if verdict:
            return verdict
    return _moved(fetch) or _cert_expiring(fetch, now, cert_warning_days) or Verdict(
        "ok", status_line(fetch.status)
    )


def status_line(status: int | None) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def is_bot_challenge(status: int | None, headers: dict[str, str], text: str) -> bool:
    """A 403/429/503 from an anti-bot wall: the page may be fine, we were not let in."""
    if status not in (403, 429, 503):
        return False
    if headers.get("cf-mitigated") == "challenge" or any(h in headers for h in _CHALLENGE_HEADERS[1:]):
        return True
    return bool(_CHALLENGE.search(text))


def _blocked(fetch: Fetch, now: datetime) -> Verdict | None:
    if is_bot_challenge(fetch.status, fetch.headers, fetch.text):
        return Verdict("bot-challenge", f"bot challenge ({status_line(fetch.status)}): not judged")
    if fetch.status == 429:
        return Verdict("rate-limited", "429 Too Many Requests: the server asked us to slow down")
    return None


def _http_error(fetch: Fetch, now: datetime) -> Verdict | None:
    if fetch.status is not None and fetch.status >= 300:
        return Verdict("http", status_line(fetch.status))
    return None


def _parked(fetch: Fetch, now: datetime) -> Verdict | None:
    host = (urlsplit(fetch.final_url or fetch.url).hostname or "").lower()
    if any(host == p or host.endswith("." + p) for p in _PARKING_HOSTS):
        return Verdict("parked", f"parked or for-sale domain (sent to {host})")
    match = _PARKED.search(fetch.text) or _PARKED.search(fetch.title.lower())
    if match:
        return Verdict("parked", f"parked or for-sale domain (page says '{match.group(0)}')")
    return None


def _soft_404(fetch: Fetch, now: datetime) -> Verdict | None:
    for label, text in (("title", fetch.title), ("heading", fetch.heading)):
        if _SOFT_404.search(text.lower()):
            shown = f"{label} '{text[:80]}'"
            return Verdict("soft-404", f"soft 404: {fetch.status} with a not-found page ({shown})")
    if fetch.chain and _NOT_FOUND_PATH.search(urlsplit(fetch.final_url or "").path.lower()):
        return Verdict("soft-404", f"soft 404: redirected to the not-found page {fetch.final_url}")
    return None


def _home_redirect(fetch: Fetch, now: datetime) -> Verdict | None:
    if not fetch.chain or not fetch.final_url:
        return None
    start, end = urlsplit(fetch.url), urlsplit(fetch.final_url)
    deep = start.path not in _HOME_PATHS or bool(start.query)
    if deep and end.path in _HOME_PATHS and not end.query:
        return Verdict("home-redirect", f"redirected to the home page {fetch.final_url}")
    return None


def _expired_cert(fetch: Fetch, now: datetime) -> Verdict | None:
    if fetch.cert_expires and fetch.cert_expires <= now:
        return Verdict("tls", f"TLS certificate expired on {fetch.cert_expires:%Y-%m-%d}")
    return None


def _moved(fetch: Fetch) -> Verdict | None:
    permanent = any(hop.status in PERMANENT_REDIRECTS for hop in fetch.chain)
    final = fetch.final_url or fetch.url
    if permanent and not same_site(fetch.url, final):
        return Verdict("moved", f"moved permanently to {final}", moved_to=final)
    return None


def _cert_expiring(fetch: Fetch, now: datetime, warning_days: float) -> Verdict | None:
    if fetch.cert_expires is None:
        return None
    days = (fetch.cert_expires - now).total_seconds() / 86400
    if days <= warning_days:
        return Verdict(
            "cert-expiring",
            f"TLS certificate expires on {fetch.cert_expires:%Y-%m-%d} (in {days:.0f} days)",
        )
    return None
