"""Run check-links over the labelled corpus and score its verdicts the way a person would.

Shared by `tests/test_detection_corpus.py` (which asserts the floors) and `bench/detection.py` (which
prints the whole confusion matrix). One run of check-links, as cron starts it, over every scenario.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checking import database, run_check
from detection_corpus import CORPUS, ERROR_LIKE, EXPECTATIONS, CorpusWeb, load_scenarios
from linkkeeper.health.findings import FINDINGS

USER_AGENT = "linkkeeper-corpus/1.0 (+http://127.0.0.1/contact)"
PROBE_MARK = "linkkeeper-probe-"
PER_HOST = 1


def predicted(finding: str) -> str:
    """The corpus label a finding amounts to."""
    category = FINDINGS[finding].category
    if category == "content":
        return "live"
    if category == "wall":
        return "wall"
    if category == "transfer":
        return "http-error"
    return {"home-redirect": "soft-404", "suspect-404": "soft-404"}.get(finding, finding)


@dataclass
class Score:
    rows: list[dict]  # one per scenario: name, expect, lang, state, finding, outcome, detail
    requests: dict[str, list] = field(default_factory=dict)  # scenario -> what its host saw
    most_in_flight: dict[str, int] = field(default_factory=dict)  # scenario -> most requests its host served at once

    def confusion(self) -> Counter:
        return Counter((row["expect"], predicted(row["finding"])) for row in self.rows)

    def named(self, name: str) -> dict:
        return next(row for row in self.rows if row["name"] == name)

    def of(self, *expectations: str) -> list[dict]:
        return [row for row in self.rows if row["expect"] in expectations]

    def false_dead(self) -> list[dict]:
        """Live pages and walls judged a failure: what may lead a person to rewrite a working link."""
        return [row for row in self.of("live", "wall") if row["outcome"] == "failure"]

    def error_recall(self) -> float:
        """Error-like pages (answering, but not the resource) caught as error pages."""
        rows = self.of(*ERROR_LIKE)
        return sum(FINDINGS[row["finding"]].category == "error-page" for row in rows) / len(rows)

    def error_failures(self) -> float:
        """Error-like pages judged a failure (on the way to `dead`), not only a suspicion."""
        rows = self.of(*ERROR_LIKE)
        return sum(row["outcome"] == "failure" for row in rows) / len(rows)

    def walls_unknown(self) -> float:
        rows = self.of("wall")
        return sum(row["outcome"] == "blocked" for row in rows) / len(rows)

    def probes_per_host(self) -> Counter:
        return Counter({name: sum(PROBE_MARK in seen.path for seen in hits) for name, hits in self.requests.items()})

    def precision_recall(self, label: str) -> tuple[float | None, float | None]:
        hits = sum(1 for row in self.rows if row["expect"] == label and predicted(row["finding"]) == label)
        said = sum(1 for row in self.rows if predicted(row["finding"]) == label)
        truth = sum(1 for row in self.rows if row["expect"] == label)
        return (hits / said if said else None), (hits / truth if truth else None)


def write_corpus_list(web: CorpusWeb, folder: Path, **settings: Any) -> Path:
    """A resources.yml listing every scenario served by `web`, under the corpus' settings."""
    config = folder / "resources.yml"
    resources = [{"url": web.urls[s.name], "title": s.name} for s in web.scenarios]
    settings = {
        "timeout": 5, "retries": 1, "per_host_concurrency": PER_HOST, "retry_backoff": 0.05,
        "max_retry_after": 5, "canaries": [], "user_agent": USER_AGENT, "archive": {"enabled": False}, **settings,
    }
    config.write_text(yaml.safe_dump({"settings": settings, "resources": resources}, sort_keys=False))
    return config


def states_after_runs(folder: Path, expect: str, runs: int, **health: Any) -> dict[str, list[str]]:
    """Run check-links `runs` times over the scenarios labelled `expect`: each one's state after every run."""
    scenarios = [s for s in load_scenarios() if s.expect == expect]
    states: dict[str, list[str]] = {s.name: [] for s in scenarios}
    with CorpusWeb(scenarios) as web:
        config = write_corpus_list(web, folder, health=health)
        for _ in range(runs):
            done = run_check(config, timeout=300)
            assert done.returncode in (0, 1), done.stderr
            state = {row["url"]: row["state"] for row in database(config).query("select url, state from resources")}
            for scenario in scenarios:
                states[scenario.name].append(state[web.urls[scenario.name]])
    return states


def run_corpus(folder: Path, corpus: Path = CORPUS) -> Score:
    """Serve the corpus, run check-links once over all of it, and read each scenario's check."""
    with CorpusWeb(folder=corpus) as web:
        config = write_corpus_list(web, folder)
        done = run_check(config, timeout=300)
        assert done.returncode in (0, 1), done.stderr
        checks = {row["url"]: row for row in database(config).query("select * from checks")}
        states = {row["url"]: row["state"] for row in database(config).query("select url, state from resources")}
        rows = [
            {"name": s.name, "expect": s.expect, "lang": s.lang, "state": states[web.urls[s.name]], **{
                key: checks[web.urls[s.name]][key] for key in ("finding", "outcome", "detail", "status_code")
            }}
            for s in web.scenarios
        ]
        assert {row["expect"] for row in rows} <= set(EXPECTATIONS)
        return Score(
            rows,
            {name: list(host.seen) for name, host in web.hosts.items()},
            {name: host.max_in_flight for name, host in web.hosts.items()},
        )
