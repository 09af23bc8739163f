"""Soft 404s, found by comparison: does this page look like the host's answer for a page that cannot exist?

Many sites answer a missing page with their error page and status 200, in any language and wording.
So for each host the crawler asks once for a random path beside the checked page (the probe), and
compares: the same landing after redirects, or the same visible text, means the host answers every
address with this page, which crawler.rules.absence judges (such a page is gone only if it says so). A page
the host's error page does not resemble is never judged a soft 404, whatever words it contains; error
words in the title of a short page only put the link at risk (`suspect-404`), for a person to look at.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from crawler.rules import cues
from crawler.rules.error_pages import SHORT_PAGE_WORDS
from crawler.rules.fetched import Fetch, Verdict
from crawler.rules.walls import TOO_FEW_WORDS
from linkkeeper.health.similarity import jaccard, shingles
from linkkeeper.quote import shown
from linkkeeper.urls import origin

# An error page that a host's honest 404 for a missing path does not confirm still says little more than this
# (an item missing from a page of a query); an article about errors says more.
SAYS_LITTLE = 100
# Two answers this alike (Jaccard similarity of word pairs) are the same page with a different echo in it.
SAME_PAGE = 0.8
# ... or this alike, when their titles are the same too.
SAME_TITLED_PAGE = 0.6
_HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/home"})


def probe_url(url: str) -> str:
    """A path that cannot exist on the host of `url`, in the same folder and with the same extension."""
    parts = urlsplit(url)
    folder, name = posixpath.split(parts.path or "/")
    extension = posixpath.splitext(name)[1] if len(posixpath.splitext(name)[1]) <= 6 else ""
    path = posixpath.join(folder or "/", f"linkkeeper-probe-{secrets.token_hex(6)}{extension}")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def probe_key(url: str) -> str:
    """Probes are made once per host (scheme, host and port), and kept by it between runs."""
    return origin(url)


@dataclass(frozen=True)
class Comparison:
    """The checked page against the probe's answer; `evidence` is None when they could not be compared.

    `bare` marks two identical pages with almost no words: a JavaScript application's shell, or a terse
    error page. The host answers everything with it, but only the page's own words can tell which it is.
    """

    similarity: float | None = None
    same_landing: bool = False
    evidence: str | None = None
    bare: bool = False

    @property
    def conclusive(self) -> bool:
        return self.evidence is not None and not self.bare

    @property
    def alike(self) -> bool:
        return self.same_landing or (not self.bare and (self.similarity or 0) >= SAME_PAGE)

    @property
    def host_wide(self) -> bool:
        """The host answers a path that cannot exist with this very page."""
        return self.alike or self.bare


def compare(fetch: Fetch, probe: Fetch | None) -> Comparison:
    """The page against the host's answer for a path that cannot exist, when that answer is a page at all."""
    if probe is None or probe.error_class or probe.status is None or probe.status in (401, 403, 429):
        return Comparison()
    return _compared(fetch, probe)


def same_answer(fetch: Fetch, probe: Fetch | None) -> Comparison:
    """For a refusal: was a path that cannot exist refused in the same words?"""
    if probe is None or probe.error_class or probe.status != fetch.status:
        return Comparison()
    return _compared(fetch, probe)


def _compared(fetch: Fetch, probe: Fetch) -> Comparison:
    if fetch.chain and probe.chain and probe.landed != probe.url and _same_place(fetch.landed, probe.landed):
        return Comparison(1.0, True, f"a path that cannot exist lands on the same page {shown(probe.landed, 80)}")
    page, missing = fetch.page, probe.page
    echoes = _echoes(fetch, probe)
    if min(page.word_count, missing.word_count) < TOO_FEW_WORDS and _strip(page.markup, echoes) == _strip(
        missing.markup, echoes
    ):
        return Comparison(1.0, False, "a path that cannot exist gets the very same page", bare=True)
    title = _strip(page.title, echoes), _strip(missing.title, echoes)
    similarity = min(
        jaccard(shingles(_strip(a, echoes)), shingles(_strip(b, echoes)))
        for a, b in ((page.content_text, missing.content_text), (page.text, missing.text))
    )
    similarity = (
        max(similarity, SAME_PAGE)
        if title[0].strip() and title[0] == title[1] and similarity >= SAME_TITLED_PAGE
        else similarity
    )
    answer = f"{probe.status} {shown(missing.title or missing.heading or '(untitled)', 60)}"
    return Comparison(
        similarity, False, f"similarity {similarity:.2f} to the host's answer for a path that cannot exist ({answer})"
    )


def judge_soft_404(fetch: Fetch, comparison: Comparison, probe: Fetch | None = None) -> Verdict | None:
    """A page the host does not answer every address with (crawler.rules.absence judges those): gone when its redirect
    or its only message says so. Error words on a short page are a suspicion; when the host answers a path
    that cannot exist with an honest 404 and a page unlike this one, only on a page that says little more."""
    if fetch.chain and (
        cues.NOT_FOUND_PATH.search(fetch.path) or cues.NOT_FOUND_QUERY.search(urlsplit(fetch.landed).query)
    ):
        return Verdict("soft-404", f"soft 404: redirected to the not-found page {shown(fetch.landed, 100)}")
    if deep_to_home(fetch):
        return Verdict("home-redirect", f"redirected to the home page {fetch.landed}")
    alert = script_says_not_found(fetch)
    if alert:
        return Verdict("soft-404", f"soft 404: the page's only message, a script's alert, says {shown(alert, 60)}")
    said = _says_not_found(fetch)
    honest = probe is not None and probe.status in (404, 410) and comparison.conclusive
    if not said or (honest and fetch.page.word_count > SAYS_LITTLE):
        return None
    why = (
        f"though unlike this host's answer for a path that cannot exist ({comparison.evidence})"
        if comparison.conclusive
        else "but the host could not be probed to confirm it"
    )
    return Verdict(
        "suspect-404",
        f"reads like an error page ({shown(said.group(0), 40)} in the title or a heading of a page of"
        f" {fetch.page.word_count} words), {why}; a person should look",
    )


def script_says_not_found(fetch: Fetch) -> str | None:
    """The error words of an alert that a page of almost no text shows by script instead of a page."""
    page = fetch.page
    if page.word_count >= TOO_FEW_WORDS:
        return None
    for alert in cues.SCRIPT_ALERT.finditer(page.markup):
        if cues.NOT_FOUND.search(alert.group(1)):
            return alert.group(1)
    return None


def _says_not_found(fetch: Fetch) -> re.Match | None:
    """Error words in the title or a heading of a short page: a cue, never proof on its own."""
    page = fetch.page
    if page.word_count > SHORT_PAGE_WORDS:
        return None
    return next((m for text in (page.title, *page.headings) if (m := cues.NOT_FOUND.search(text))), None)


def similarity_evidence(comparison: Comparison) -> str | None:
    """For the other error pages: the whole host answers with this page."""
    if comparison.host_wide:
        return f"the whole host answers with it ({comparison.evidence})"
    return None


def deep_to_home(fetch: Fetch) -> bool:
    if not fetch.chain:
        return False
    start, end = urlsplit(fetch.url), urlsplit(fetch.landed)
    deep = start.path not in _HOME_PATHS or bool(start.query)
    return deep and end.path in _HOME_PATHS and not end.query


def _same_place(a: str, b: str) -> bool:
    first, second = urlsplit(a), urlsplit(b)
    return (first.netloc.lower(), first.path) == (second.netloc.lower(), second.path)


def _echoes(fetch: Fetch, probe: Fetch) -> list[str]:
    """The parts of the two addresses an error page may repeat ("the page /x was not found"), longest first."""
    found = set()
    for url in (fetch.url, fetch.landed, probe.url, probe.landed):
        path = unquote(urlsplit(url).path)
        found |= {path, posixpath.basename(path.rstrip("/")), posixpath.splitext(posixpath.basename(path))[0]}
    return sorted((echo for echo in found if len(echo) > 2), key=len, reverse=True)


def _strip(text: str, echoes: list[str]) -> str:
    for echo in echoes:
        text = text.replace(echo, " ")
    return text
