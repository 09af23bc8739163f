"""The vocabulary of findings: what one check can conclude, in one table that everything else derives from.

A finding is stored with every check as its machine-readable reason. Its `outcome` feeds the health
history (`linkkeeper.health.state`): a `failure` counts towards `dead`, a `warning` means the page still
answers but something threatens it, `blocked` means a wall kept us out and nothing can be concluded.
Its `category` says what a person would call the page: the resource itself (`content`), a page that
stands in for a missing one (`error-page`), a failed transfer (`transfer`), or a `wall`.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkkeeper.health.vocabulary import AT_RISK, DEAD


@dataclass(frozen=True)
class Finding:
    name: str
    outcome: str  # ok, warning, failure or blocked
    category: str  # content, error-page, transfer or wall
    label: str


_TABLE = (
    Finding("ok", "ok", "content", "the page answers with its content (2xx), or a mail domain has mail servers"),
    Finding("moved", "warning", "content", "a permanent redirect (301/308) to another host: `moved_to` says where"),
    Finding("cert-expiring", "warning", "content", "the TLS certificate expires within `health.cert_warning_days`"),
    Finding(
        "domain-expiring",
        "warning",
        "content",
        "the page answers, but the registry says its domain expires within `health.domain_warning_days`, or has"
        " expired (RDAP)",
    ),
    Finding(
        "content-changed",
        "warning",
        "content",
        "the page answers, but its text is now mostly different from its baseline (`linkkeeper accept` takes the"
        " new text as the baseline)",
    ),
    Finding(
        "soft-404",
        "failure",
        "error-page",
        "a success answer that is this host's answer for a path that cannot exist and says it is an error page"
        " (probe compared), or a redirect to a not-found page",
    ),
    Finding("home-redirect", "failure", "error-page", "a deep page redirected to the site's home page"),
    Finding(
        "suspect-404",
        "warning",
        "error-page",
        "a short page whose title or heading reads like an error page, unconfirmed by the probe; or a page the site"
        " answers every address with that does not say it is an error: a person should look",
    ),
    Finding("parked", "failure", "error-page", "a parking lander (sponsored links) instead of the resource"),
    Finding("for-sale", "failure", "error-page", "a page offering the domain for sale instead of the resource"),
    Finding("suspended", "failure", "error-page", "the hosting account is suspended"),
    Finding("default-page", "failure", "error-page", "a web server's default page: the site is not set up"),
    Finding("placeholder", "failure", "error-page", 'a "coming soon" or "under construction" placeholder'),
    Finding(
        "domain-expired",
        "failure",
        "error-page",
        "the registry says the domain's registration is gone (RDAP: being deleted, or expired over 45 days ago), and"
        " the page is not the one cited (a suspected error page, or the same stand-in at every address)",
    ),
    Finding("http", "failure", "transfer", "an HTTP error status (4xx, 5xx) that is not a wall"),
    Finding("dns", "failure", "transfer", "the host name does not resolve"),
    Finding("refused", "failure", "transfer", "the connection was refused"),
    Finding("timeout", "failure", "transfer", "no answer within `timeout`"),
    Finding(
        "tls", "failure", "transfer", "the TLS handshake failed, or the certificate has expired or is not valid yet"
    ),
    Finding("connection", "failure", "transfer", "the connection failed otherwise"),
    Finding("too-many-redirects", "failure", "transfer", "more than `max_redirects` redirects, or a loop"),
    Finding("unsupported-scheme", "failure", "transfer", "a redirect to a scheme that is not checked"),
    Finding("auth-required", "blocked", "wall", "HTTP 401 (or 407): the server asks for a login"),
    Finding(
        "waf-blocked",
        "blocked",
        "wall",
        "a 403, 406 or 451 from a CDN or web firewall (Cloudflare, Akamai, Imperva, ...), or whose page speaks of"
        " blocking (banned, denied, not allowed, your IP, captcha, ...)",
    ),
    Finding(
        "forbidden",
        "blocked",
        "wall",
        "a 403, 406 or 451 with no evidence that the page is gone: on first contact, or while a path that cannot"
        " exist gets another answer (refusal is not absence)",
    ),
    Finding(
        "bot-challenge",
        "blocked",
        "wall",
        "an anti-bot challenge or an interstitial (a page that only frames, refreshes or checks the browser),"
        " whatever its status",
    ),
    Finding("sign-in", "blocked", "wall", "a deep link that lands on a sign-in page"),
    Finding(
        "catch-all",
        "blocked",
        "wall",
        "the site answers every address with the same stand-in (a sign-in, a challenge, a script stub, an"
        " application shell, an empty page), which says nothing of this page",
    ),
    Finding("rate-limited", "blocked", "wall", "HTTP 429: the server asked us to slow down"),
)

FINDINGS: dict[str, Finding] = {finding.name: finding for finding in _TABLE}


def outcome(name: str) -> str:
    return FINDINGS[name].outcome


def named(category: str) -> frozenset[str]:
    """The findings of one category, e.g. every error page for the archive policy."""
    return frozenset(finding.name for finding in _TABLE if finding.category == category)


# A page that stands in for the resource, or an HTTP error: its archived copy is wanted, never a capture of it.
ERROR_PAGE_FINDINGS = named("error-page") | {"http"}


def broken(state: str, finding: str | None, suspicion_counts: bool = False) -> bool:
    """Whether a link no longer leads to its resource: dead, or at risk because its page is now an error page.

    A suspicion (`suspect-404`, a warning) is enough to keep the archive from capturing what may be an
    error page (`suspicion_counts`), not enough to send readers to an archived copy instead.
    """
    if state == DEAD:
        return True
    return (
        state == AT_RISK
        and finding in ERROR_PAGE_FINDINGS
        and (suspicion_counts or outcome(finding) == "failure")
    )
