"""Whether an archived capture shows the page that was cited, before readers are sent to it.

A CDX row's status 200 says only that the server answered 200 that day: parked and for-sale pages, soft
404s, sign-in and cookie walls are all captured with 200. So the capture itself is fetched as the site
served it and judged by the live page's rules (crawler.rules.verdict.judge_copy); where the link has a baseline
from its healthy days, its text must also resemble that baseline as closely as the drift rule asks
(linkkeeper.health.drift), or it is some other page on the same address.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from archive.wayback import Replayed
from crawler.observations import fetch_of_copy
from crawler.rules.fetched import Verdict
from crawler.rules.verdict import judge_copy
from linkkeeper.health.drift import CHANGED_BELOW, Content
from linkkeeper.health.similarity import signature, signature_similarity
from linkkeeper.quote import clean, clip, shown

# How the Wayback Machine passes on, in a raw (`id_`) replay, the headers the site sent that day.
ORIGINAL_HEADER = "x-archive-orig-"
ELSEWHERE = "the archive replays it as another page"


def judge_capture(replayed: Replayed | None, url: str, baseline: Content | None, now: datetime) -> Verdict:
    """`ok` only for a capture a reader should be sent to; `replayed` is None when the archive sent us elsewhere."""
    if replayed is None:
        return Verdict("moved", ELSEWHERE)
    fetch = fetch_of_copy(url, replayed.status, as_served(replayed.headers), replayed.body)
    verdict = judge_copy(fetch, now)
    if verdict.finding != "ok" or baseline is None:
        return verdict
    similarity = signature_similarity(baseline.signature, signature(fetch.page.content_text))
    if similarity < CHANGED_BELOW:
        return Verdict(
            "content-changed",
            f"unlike the page as cited: similarity {similarity:.2f} to its text of {baseline.at[:10]}"
            f" (below {CHANGED_BELOW}), titled {shown(fetch.page.title, 60)}",
        )
    return verdict


def as_served(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers the site sent that day, as the rules read a live page's: the archive's own (its server,
    its dates) would be read as the site's."""
    served = {}
    for name, value in headers.items():
        if name.lower().startswith(ORIGINAL_HEADER):
            served[name[len(ORIGINAL_HEADER) :].lower()] = value
        elif name.lower() == "content-type":  # the site's own in a raw replay
            served["content-type"] = value
    return served


def in_brief(passed: Mapping[str, str]) -> str:
    """`20220301: domain for sale`: a passed-over capture as a note names it, by its reason's first clause."""
    return f"{passed['timestamp'][:8]}: {clip(clean(passed['reason'].split(';')[0]), 60)}"
