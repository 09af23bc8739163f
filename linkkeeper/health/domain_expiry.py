"""A domain's registration and its links: the most common way a programme page dies is that its domain lapses
and is parked, and the registry publishes the expiry date (RDAP) weeks ahead.

Judged here, and only here, as a pure rule of what the run gathered (linkkeeper/domains/ asks the registries,
store/domains.py keeps their answers) and of one check, called by linkkeeper/runs/run.py for every check after
content drift. The registry's word never hides what the page itself showed, and a date alone never kills a
page that answers (registries lag, renewals happen):

- a domain that expires within `health.domain_warning_days` puts a link that answers at risk
  (`domain-expiring`), "domain example.org expires on 2027-01-05"; a link already at risk or failing keeps its
  finding, the domain named after its own reason;
- a lapsed domain (its expiry date past, or the registry's status `pending delete` or `redemption period`) is
  evidence of absence: a failure stays a failure with the domain named among its evidence, and a page that
  still answers with its content is only at risk, named. A page that the checker could not tell from an error
  page (`suspect-404`, `catch-all`) fails as `domain-expired` once the registration is surely gone: the
  registry is deleting it, or its date passed more than GRACE_DAYS ago (until then a registrar may still
  renew it, and the site often runs on as before). A wall (a login, a firewall) stays a wall: the page behind
  it may still be there for a while.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

LAPSED_STATUSES = frozenset({"pending delete", "redemption period"})
"""RDAP statuses (RFC 8056's names of the EPP ones) of a registration that has ended and is being deleted."""
UNEXPLAINED_STAND_INS = frozenset({"suspect-404", "catch-all"})
"""Findings of a page that is not the one cited, with nothing to say that it is gone: a domain surely gone says it."""
GRACE_DAYS = 45
"""The longest grace period after an expiry date (a gTLD's auto-renew grace period) in which a registrar may
still renew the domain."""


@dataclass(frozen=True, slots=True)
class DomainFacts:
    """What the registry last said of a link's registered domain (store/domains.py)."""

    domain: str
    expires_at: str | None = None  # ISO 8601, UTC
    statuses: tuple[str, ...] = ()


def lapsed(facts: DomainFacts, now: datetime) -> bool:
    """The registration has ended by `now`: its expiry date has passed, or the registry is deleting it."""
    expires = _expires(facts)
    return bool(LAPSED_STATUSES.intersection(facts.statuses)) or (expires is not None and expires <= now)


def expiring(facts: DomainFacts, now: datetime, warning_days: float) -> bool:
    """The registration ends within `warning_days` (and has not ended yet)."""
    expires = _expires(facts)
    return expires is not None and now < expires <= now + timedelta(days=warning_days)


def domain_words(facts: DomainFacts, now: datetime) -> str:
    """The registration as a reader is told it: "domain example.org expires on 2027-01-05"."""
    expires = _expires(facts)
    date = f"{expires:%Y-%m-%d}" if expires else None
    if "redemption period" in facts.statuses or "pending delete" in facts.statuses:
        state = "is in its redemption period" if "redemption period" in facts.statuses else "is pending deletion"
        ended = f" (it expired on {date})" if expires is not None and expires <= now else ""
        return f"domain {facts.domain} {state}{ended}"
    verb = "expired" if expires is not None and expires <= now else "expires"
    return f"domain {facts.domain} {verb} on {date}"


def judge_domain(check: dict[str, Any], facts: DomainFacts | None, warning_days: float) -> dict[str, Any]:
    """The check as its domain's registration leaves it (`finding`, `outcome`, `detail`), judged at its
    `checked_at`; unchanged when the registry said nothing that matters (or was not asked)."""
    if facts is None:
        return check
    now = datetime.fromisoformat(check["checked_at"])
    ended = lapsed(facts, now)
    if not ended and not expiring(facts, now, warning_days):
        return check
    words = domain_words(facts, now)
    if check["finding"] in UNEXPLAINED_STAND_INS and lapsed(facts, now - timedelta(days=GRACE_DAYS)):
        return {**check, "finding": "domain-expired", "outcome": "failure", "detail": f"{words}; {check['detail']}"}
    if check["outcome"] == "ok":
        detail = f"{words}, but the page still answers ({check['detail']})" if ended else words
        return {**check, "finding": "domain-expiring", "outcome": "warning", "detail": detail}
    return {**check, "detail": f"{check['detail']}; {words}"}


def _expires(facts: DomainFacts) -> datetime | None:
    return datetime.fromisoformat(facts.expires_at) if facts.expires_at else None
