"""Content drift: a page that still answers, but no longer says what it said when it was cited.

A domain taken over, a programme page replaced by another: the server answers 200 and every other
rule is satisfied. So the first good check's title and text signature are kept as the resource's
baseline, and each later good check is compared with it. A page now mostly different is at risk,
"content changed since DATE", until it changes back or a person accepts the new text as the baseline
(`linkkeeper accept URL`). Ordinary edits stay well above the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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

