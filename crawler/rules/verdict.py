"""Judge one fetched response: is the resource there, at risk, gone, or hidden behind a wall?

Pure functions of what was fetched (and of the host's answer to the probe, a path that cannot exist, and
of when the link last answered with its content), so every rule is testable without a network. The rules
are tried in order, walls before errors before content: a wall proves nothing about the page, an error
status is the server's own word, and only a page that answers is compared with its host's error page and
read for what it is. Nothing is a failure without evidence of absence (crawler.rules.absence).
"""

from __future__ import annotations

from datetime import datetime

from crawler.rules.absence import (
    OPENING_CHARACTERS,
    judge_host_wide,
    judge_refusal,
    needs_refusal_probe,
    says_not_found,
)
from crawler.rules.error_pages import SHORT_PAGE_WORDS, judge_error_page, judge_refused_page
from crawler.rules.failure_words import failure_words
from crawler.rules.fetched import WEB_SCHEMES, Fetch, Verdict, status_line
from crawler.rules.soft404 import compare, judge_soft_404, similarity_evidence
from crawler.rules.walls import REFUSALS, judge_wall, short_of_absence, stand_in_evidence, too_few_words
from linkkeeper.quote import shown
from linkkeeper.urls import same_site

PERMANENT_REDIRECTS = frozenset({301, 308})


def judge(
    fetch: Fetch, now: datetime, cert_warning_days: float, probe: Fetch | None = None, served_at: str | None = None
) -> Verdict:
    """The verdict on one fetch; `probe` is the host's answer for a path that cannot exist, when one was made;
    `served_at`, when the link last answered with its content, if it ever did (crawler.rules.absence)."""
    if fetch.error_class:
        # The host that failed is the last one asked: a redirect's target, when the link redirected.
        return Verdict(fetch.error_class, failure_words(fetch.error_class, fetch.error, fetch.landed))
    if fetch.url.startswith("mailto:"):
        return Verdict("ok", f"mail servers: {', '.join(fetch.mail_servers)}")
    return _with_certificate(_judge_answer(fetch, now, cert_warning_days, probe, served_at), fetch, now)


def _judge_answer(
    fetch: Fetch, now: datetime, cert_warning_days: float, probe: Fetch | None, served_at: str | None
) -> Verdict:
    """The verdict on an answer, its certificate's validity aside (`_with_certificate`)."""
    if short_of_absence(fetch.status):
        closed = judge_refused_page(fetch)
        if closed:
            return closed
    wall = fetch.once(judge_wall)
    if wall:
        return wall
    if fetch.status is not None and fetch.status >= 300:
        if fetch.status in REFUSALS:
            return judge_refusal(fetch, probe, served_at)
        return Verdict("http", status_line(fetch.status))
    comparison = compare(fetch, probe)
    host_wide = similarity_evidence(comparison)
    stand_in = stand_in_evidence(fetch) if host_wide else None
    return (
        judge_error_page(fetch, host_wide, stand_in)
        or (judge_host_wide(fetch, comparison, stand_in) if host_wide else judge_soft_404(fetch, comparison, probe))
        or _moved(fetch)
        or _cert_expiring(fetch, now, cert_warning_days)
        or Verdict("ok", status_line(fetch.status))
    )


def judge_copy(fetch: Fetch, now: datetime) -> Verdict:
    """The verdict on an archived copy of a page, `ok` only when a reader sent to it would see the page.

    No probe can be made of the host as it was that day, so what the probe shows of a live page is asked of
    the copy itself: one that says it is an error page, or that stands in for the page (a sign-in, a consent
    or cookie gate, a challenge, a script stub, an empty shell), is not the page cited, whatever the status
    it was served with. A long page says so in its title or headings; its text may mention errors. Only a
    200 is a page served as it was; a document that is not HTML (a PDF) has no words to be judged by.
    """
    verdict = judge(fetch, now, 0.0)
    if verdict.finding != "ok":
        return verdict
    if fetch.status != 200:
        return Verdict("http", f"{status_line(fetch.status)}: not the page as it was served")
    if not fetch.page.markup:
        return verdict
    said = says_not_found(fetch, OPENING_CHARACTERS if fetch.page.word_count <= SHORT_PAGE_WORDS else 0)
    if said:
        return Verdict("soft-404", f"soft 404: the copy says {shown(said, 40)}")
    stand_in = stand_in_evidence(fetch) or too_few_words(fetch)
    if stand_in:
        return Verdict("catch-all", f"a stand-in for the page: {stand_in}")
    return verdict


def needs_probe(fetch: Fetch, served_at: str | None = None) -> bool:
    """Only a page that answers with HTML can be a host's error page in disguise, and only a refusal of a page
    that answered before can be shown to be absence."""
    return (
        fetch.error_class is None
        and fetch.status is not None
        and ((200 <= fetch.status < 300 and bool(fetch.page.markup)) or needs_refusal_probe(fetch, served_at))
        and fetch.landed.startswith(WEB_SCHEMES)
        and fetch.once(judge_wall) is None
    )


def _invalid_cert(fetch: Fetch, now: datetime) -> Verdict | None:
    """A certificate browsers refuse: expired, or not valid yet."""
    if fetch.cert_expires and fetch.cert_expires <= now:
        return Verdict("tls", f"TLS certificate expired on {fetch.cert_expires:%Y-%m-%d}")
    if fetch.cert_valid_from and fetch.cert_valid_from > now:
        return Verdict("tls", f"TLS certificate not valid until {fetch.cert_valid_from:%Y-%m-%d}")
    return None


def _with_certificate(verdict: Verdict, fetch: Fetch, now: datetime) -> Verdict:
    """A certificate browsers refuse is never hidden behind another finding. A reader's browser stops at it, so it
    outranks what only warns (a suspected 404, a move) or says all is well, naming what it outranked; a failure
    or a wall stays what it is (a parked page, a 404, a login), its reason naming the certificate too."""
    certificate = _invalid_cert(fetch, now)
    if certificate is None or verdict.finding == "tls":
        return verdict
    if verdict.finding == "ok":
        return certificate
    if verdict.outcome == "warning":
        return Verdict("tls", f"{certificate.detail}; {verdict.detail}")
    return Verdict(verdict.finding, f"{verdict.detail}; {certificate.detail}", verdict.moved_to)


def _moved(fetch: Fetch) -> Verdict | None:
    permanent = any(hop.status in PERMANENT_REDIRECTS for hop in fetch.chain)
    if permanent and not same_site(fetch.url, fetch.landed):
        return Verdict("moved", f"moved permanently to {fetch.landed}", moved_to=fetch.landed)
    return None


def _cert_expiring(fetch: Fetch, now: datetime, warning_days: float) -> Verdict | None:
    if fetch.cert_expires is None or fetch.cert_expires <= now:  # expired: `_invalid_cert`
        return None
    days = (fetch.cert_expires - now).total_seconds() / 86400
    if days <= warning_days:
        return Verdict(
            "cert-expiring",
            f"TLS certificate expires on {fetch.cert_expires:%Y-%m-%d} (in {days:.0f} days)",
        )
    return None
