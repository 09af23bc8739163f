"""A probe's answer as it is kept between runs: every fact of the `Fetch` the verdict's rules read of a probe, and
nothing else, so that a page judged against a stored answer gets the very verdict it would get against the same
answer fresh (tests/test_probe_reuse.py shows it).

The rules read of a probe its address, status, redirects and landing, its headers, and its page whole (title,
headings, texts, the start of its markup: an error page is compared word pair by word pair, a bare one by its
markup), so all of it is kept; no summary of it could promise the same verdicts. It travels as one string of
text (zlib-compressed JSON in base64: an error page's 64 KiB of markup keeps to a few KiB), the same in the
database (`probes.answer`), in a crawl's job and in the crawler's report of a fresh probe.
"""

from __future__ import annotations

import base64
import json
import zlib

from crawler.rules.fetched import Fetch, Hop
from crawler.rules.page import Page

KEPT_STATUSES = range(200, 500)
"""Only an answer the host gives any day is kept: an error (a timeout), a 429 or a 5xx says how the host was at
that moment, not what it answers a path that cannot exist with."""
PRIVATE_HEADERS = frozenset({"set-cookie", "set-cookie2"})
"""Headers no rule reads of a probe and the database need not hold: a session the host handed out."""


def keeps(probe: Fetch) -> bool:
    """Whether the answer is one to keep for later runs."""
    return probe.error_class is None and probe.status in KEPT_STATUSES and probe.status != 429


def encoded(probe: Fetch) -> str:
    page = probe.page
    document = {
        "url": probe.url,
        "status": probe.status,
        "final_url": probe.final_url,
        "chain": [[hop.url, hop.status] for hop in probe.chain],
        "headers": {name: value for name, value in probe.headers.items() if name not in PRIVATE_HEADERS},
        "page": [page.title, list(page.headings), page.main_text, page.text, page.password_field, page.markup],
    }
    packed = zlib.compress(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(), 6)
    return base64.b64encode(packed).decode("ascii")


def decoded(answer: str) -> Fetch:
    """The answer `encoded` gave; a `ValueError` for anything else (a damaged row is probed anew, not trusted)."""
    try:
        document = json.loads(zlib.decompress(base64.b64decode(answer, validate=True)))
        title, headings, main_text, text, password_field, markup = document["page"]
        return Fetch(
            url=document["url"],
            status=document["status"],
            final_url=document["final_url"],
            chain=tuple(Hop(url, status) for url, status in document["chain"]),
            headers=dict(document["headers"]),
            page=Page(title, tuple(headings), main_text, text, bool(password_field), markup),
        )
    except (zlib.error, KeyError, TypeError, UnicodeDecodeError) as error:
        raise ValueError(f"not a stored probe answer: {error}") from error
