"""Content drift judged in one place (linkkeeper/health/drift.py): the crawler reports a page's text signature
as a fact, and `judge_content` alone decides what it does to the check and to the resource's baseline."""

from __future__ import annotations

from linkkeeper.health.drift import Baseline, Content, Judged, judge_content
from linkkeeper.health.similarity import signature

TOOLKIT = " ".join(f"Chapter {n} of the toolkit explains how small states plan shared services." for n in range(9))
CASINO = " ".join(f"Play casino game {n}, claim free spins and bonus offers with live dealers." for n in range(9))
THEN, NOW = "2026-11-01T06:00:00+00:00", "2026-11-20T06:00:00+00:00"
BASELINE = Baseline(Content("Toolkit", signature(TOOLKIT), THEN))


def report(finding: str = "ok", text: str | None = CASINO, **fields) -> dict:
    """A check as the crawler reports it."""
    signed = {"text_signature": signature(text)} if text else {}
    return {
        "finding": finding, "outcome": "ok" if finding == "ok" else "warning", "detail": "200 OK",
        "title": "Casino", "checked_at": NOW, **signed, **fields,
    }


def test_an_ok_page_whose_text_drifted_is_content_changed_and_the_drift_dated():
    judged = judge_content(report(), BASELINE)
    assert (judged.check["finding"], judged.check["outcome"]) == ("content-changed", "warning")
    assert judged.check["detail"].startswith("content changed since 2026-11-20")
    assert judged.seen == Content("Casino", signature(CASINO), NOW)
    assert judged.baseline == Baseline(BASELINE.content, NOW)


def test_another_finding_stands_but_the_drift_is_still_dated():
    moved = report("moved", detail="moved permanently")
    judged = judge_content(moved, BASELINE)
    assert judged.check == moved and judged.baseline == Baseline(BASELINE.content, NOW)


def test_a_check_without_a_text_is_left_as_reported_and_the_baseline_alone():
    failed = report("http", text=None)
    assert judge_content(failed, BASELINE) == judge_content(failed, Baseline()) == Judged(failed)


def test_the_first_text_seen_becomes_the_baseline_and_a_similar_one_ends_the_drift():
    first = judge_content(report(text=TOOLKIT), Baseline())
    assert first.check["finding"] == "ok" and first.baseline == Baseline(Content("Casino", signature(TOOLKIT), NOW))
    back = judge_content(report(text=TOOLKIT), Baseline(BASELINE.content, NOW))
    assert back.check["finding"] == "ok" and back.baseline == BASELINE
