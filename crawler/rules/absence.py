"""Dead needs evidence of absence: what may count towards `dead`, written down in one place.

People act on a dead verdict: they rewrite a published report. So a check is a `failure`, and enough
failures in a row over `dead_after_days` make a link dead (linkkeeper.health.state), only on evidence that the
page is gone, and its reason names that evidence (`EVIDENCE` lists it for every failure finding):

- the server's own word: 404 Not Found, 410 Gone, another client error that is not a refusal, or a
  server error (5xx);
- the network's: the host does not exist, the server refuses the connection or stays silent, TLS fails;
- the page's: it says it is an error page, or it is a parked, for-sale, suspended, default or placeholder
  page (crawler.rules.error_pages), or a deep link lands on the home page or on a not-found address;
- for a refusal (403, 406, 451), the link's own history: it answered with its content before, and now
  gets the very answer a path that cannot exist gets (an object store's AccessDenied for a key removed).
- the registry's: the domain's registration has ended (RDAP), for a page the checker could not otherwise tell
  from an error page (linkkeeper/health/domain_expiry.py, judged by `check-links` with the registry's answer).

What is not evidence, and so never leads to dead:
- A refusal on first contact, or one the server tells apart from a missing page: the page may be there,
  closed to a checker (`forbidden`, unknown). A refusal that speaks of blocking is a wall (crawler.rules.walls).
- Similarity to the host's answer for a path that cannot exist shows that the page is not about this
  URL, not that it is gone. When the site answers every address with a stand-in (a sign-in, a challenge,
  a script stub, an application shell, an empty page) the verdict is `catch-all` (unknown); any other
  page that does not say it is an error is only a suspicion (`suspect-404`, at risk).
"""

from __future__ import annotations

from crawler.rules import cues
from crawler.rules.fetched import Fetch, Verdict, status_line
from crawler.rules.soft404 import Comparison, deep_to_home, same_answer, script_says_not_found
from crawler.rules.walls import LOOK, REFUSALS, object_store_error, too_few_words
from linkkeeper.quote import shown

EVERY_ADDRESS = "the site answers every address with the same page"
# Characters of a page's main text in which it says what it is, when its title and headings do not.
OPENING_CHARACTERS = 1000
# The evidence each failure finding stands on; tests/test_absence.py holds every failure finding to it.
EVIDENCE = {
    "soft-404": "the page says it is an error page, and the host answers a path that cannot exist with it;"
    " or a redirect to a not-found address",
    "home-redirect": "a deep link sent to the site's home page",
    "parked": "a parking lander's words with a provider, a short page or the whole host answering with it",
    "for-sale": "a domain sale's words with a marketplace, a short page or the whole host answering with it",
    "suspended": "a hosting suspension's words with its address, a short page or the whole host answering with it",
    "default-page": "a web server's default page, named by its server or its images",
    "placeholder": "a placeholder's words on a short page, or the whole host answering with it",
    "http": "the server's own error status: 404, 410, another client error, a server error; a refusal only"
    " for a page that served its content before and now gets the answer a path that cannot exist gets",
    "dns": "the host name does not exist",
    "refused": "the server refuses connections",
    "timeout": "the server stays silent",
    "tls": "the certificate expired or the handshake fails: no browser shows the page",
    "connection": "the connection fails",
    "too-many-redirects": "the redirects never end on a page",
    "unsupported-scheme": "the link leads out of the web",
    "domain-expired": "the registry says the domain's registration is gone (pending delete, redemption period, or"
    " its expiry date over 45 days past), and the page is a suspected error page or the stand-in of every address",
}


def judge_refusal(fetch: Fetch, probe: Fetch | None, served_at: str | None) -> Verdict:
    """A refusal that is no wall: absence only on the link's history and the probe's answer together."""
    refused = status_line(fetch.status)
    store = object_store_error(fetch)
    said = f"{refused} ({shown(store, 40)})" if store else refused
    if not served_at:
        return Verdict(
            "forbidden",
            f"{said} on first contact: the page never answered here, and refusal is not absence; {LOOK}",
        )
    same = same_answer(fetch, probe)
    evidence = same.evidence if same.host_wide else None
    if store and probe is not None and probe.status == fetch.status and object_store_error(probe) == store:
        evidence = f"a path that cannot exist gets the same {shown(store, 40)}"
    if evidence:
        return Verdict(
            "http",
            f"{said}; {evidence}; the page answered with its content until {served_at[:10]}, so it is gone",
        )
    if probe is None or probe.error_class or probe.status is None:
        return Verdict("forbidden", f"{said}; the host could not be probed to tell it from a missing page; {LOOK}")
    return Verdict(
        "forbidden",
        f"{said}, while a path that cannot exist gets {status_line(probe.status)}: the server refuses this page"
        f" rather than not having it; {LOOK}",
    )


def needs_refusal_probe(fetch: Fetch, served_at: str | None) -> bool:
    """Only a refusal of a page that answered before can be shown to be absence, by the probe."""
    return bool(served_at) and fetch.status in REFUSALS


def judge_host_wide(fetch: Fetch, comparison: Comparison, stand_in: str | None) -> Verdict:
    """A page the site answers a path that cannot exist with: gone only if it says so or sends the link home.
    A sign of a wall (`stand_in`) outweighs the redirect home; a page of almost no words does not (a home
    page's shell)."""
    said = says_not_found(fetch)
    if said:
        return Verdict(
            "soft-404",
            f"soft 404: {fetch.status} with this host's error page, which says {shown(said, 40)}"
            f" ({comparison.evidence})",
        )
    if not stand_in and deep_to_home(fetch):
        return Verdict("home-redirect", f"redirected to the home page {fetch.landed}; {comparison.evidence}")
    stand_in = stand_in or too_few_words(fetch)
    if stand_in:
        return Verdict("catch-all", f"{EVERY_ADDRESS} ({stand_in}; {comparison.evidence}): not judged; {LOOK}")
    return Verdict(
        "suspect-404",
        f"{EVERY_ADDRESS} ({comparison.evidence}), and it does not say the page is gone; a person should look",
    )


def says_not_found(fetch: Fetch, opening: int = OPENING_CHARACTERS) -> str | None:
    """Error words where a page the whole host answers with says what it is: its title, headings, or the
    start of its main text (`opening` characters), however long its template; or the alert a script shows
    instead of a page."""
    page = fetch.page
    for text in (page.title, *page.headings, page.content_text[:opening]):
        match = cues.NOT_FOUND.search(text)
        if match:
            return match.group(0)
    return script_says_not_found(fetch)
