"""Content drift: a page that still answers, but no longer says what it said when it was cited.

A domain taken over, a programme page replaced by another: the server answers 200 and every other
rule is satisfied. So the first good check's title and text signature are kept as the resource's
baseline, and each later good check is compared with it. A page now mostly different is at risk,
"content changed since DATE", until it changes back or a person accepts the new text as the baseline
(`linkkeeper accept URL`). Ordinary edits stay well above the threshold.

Where it is judged: here, and only here. The crawler judges what one fetch shows (crawler/rules/verdict.py)
and, of a page served with its content, reports its text's signature as a fact, beside its title; it never
sees the baseline. Drift is a judgment of the page against its own past, which is the database's, so
`check-links` makes it (`judge_content`, called by linkkeeper/runs/run.py with the stored baseline) for every
check, whoever crawled it: a distributed run's workers report the same facts. This module alone decides
whether the text drifted, what the resource's baseline becomes, and what that does to the check: an `ok`
page whose text drifted is `content-changed`; any other finding says more than drift would, and stands.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from linkkeeper.health.findings import outcome
from linkkeeper.health.similarity import signature_similarity
from linkkeeper.quote import shown

# Below this estimated share of word pairs in common with the baseline, the page is mostly different.
CHANGED_BELOW = 0.35


@dataclass(frozen=True, slots=True)
class Content:
    title: str | None
    signature: str
    at: str


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a resource's text is compared with, and since when it differs (None while it does not)."""

    content: Content | None = None
    changed_since: str | None = None


@dataclass(frozen=True)
class Drift:
    baseline: Baseline
    detail: str | None = None  # set when the page has drifted: the reason a person reads


def judge_drift(baseline: Baseline, seen: Content) -> Drift:
    if baseline.content is None:
        return Drift(Baseline(seen))
    similarity = signature_similarity(baseline.content.signature, seen.signature)
    if similarity >= CHANGED_BELOW:
        return Drift(replace(baseline, changed_since=None))
    since = baseline.changed_since or seen.at
    detail = (
        f"content changed since {since[:10]}: {similarity:.0%} of it like the baseline of"
        f" {baseline.content.at[:10]}"
    )
    if seen.title != baseline.content.title:
        detail += f" (title was {shown(baseline.content.title, 60)}, now {shown(seen.title, 60)})"
    return Drift(replace(baseline, changed_since=since), detail + "; `linkkeeper accept` takes it as the new baseline")


@dataclass(frozen=True)
class Judged:
    """A check after the drift rule, and what it does to the resource's text columns."""

    check: dict[str, Any]  # the crawler's report; `content-changed`, with the reason, if an ok page drifted
    seen: Content | None = None  # the text it saw; None when it reported none (not a page served with its content)
    baseline: Baseline | None = None  # the resource's baseline after it, when it saw a text


def judge_content(check: dict[str, Any], baseline: Baseline) -> Judged:
    """The one judgment of a check's text against the resource's `baseline` (see the module's docstring)."""
    if not check.get("text_signature"):
        return Judged(check)
    seen = Content(check["title"], check["text_signature"], check["checked_at"])
    drift = judge_drift(baseline, seen)
    if drift.detail and check["finding"] == "ok":
        check = {**check, "finding": "content-changed", "outcome": outcome("content-changed"), "detail": drift.detail}
    return Judged(check, seen, drift.baseline)
