"""Benchmark: how check-links judges the labelled corpus of realistic pages (tests/corpus), in one run.

    python bench/detection.py [CORPUS]

CORPUS is a folder laid out as tests/corpus (scenarios.yml and pages/), the default: a held-out set of
pages is measured the same way.

Prints the confusion matrix (expected label by row, verdict by column), precision and recall per label,
the pages judged a failure that are alive or behind a wall ("false dead": must be none), the share of
error-like pages caught, of walls left `unknown`, and the extra requests the probes cost. The suite
asserts the floors (tests/test_detection_corpus.py); this prints everything, including each miss.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from detection_corpus import CORPUS, EXPECTATIONS
from detection_score import PROBE_MARK, predicted, run_corpus


def main() -> None:
    corpus = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else CORPUS
    with tempfile.TemporaryDirectory(prefix="linkkeeper-bench-") as folder:
        score = run_corpus(Path(folder), corpus)
    confusion = score.confusion()
    width = max(map(len, EXPECTATIONS)) + 2
    print(f"{len(score.rows)} scenarios, {len({row['lang'] for row in score.rows})} languages\n")
    print("expected \\ judged".ljust(width + 6) + "".join(label[:11].rjust(12) for label in EXPECTATIONS))
    for expected in EXPECTATIONS:
        cells = "".join(str(confusion.get((expected, label), "")).rjust(12) for label in EXPECTATIONS)
        print(expected.ljust(width + 6) + cells)
    print("\nlabel           precision  recall")
    for label in EXPECTATIONS:
        precision, recall = score.precision_recall(label)
        show = lambda value: "   -" if value is None else f"{value:5.2f}"  # noqa: E731
        print(f"{label:<16}{show(precision):>9}  {show(recall):>6}")
    print(f"\nfalse dead (live or wall judged a failure): {len(score.false_dead())}")
    print(f"error-like pages caught as error pages: {score.error_recall():.2f}"
          f" (judged a failure, on the way to dead: {score.error_failures():.2f})")
    print(f"walls left unknown: {score.walls_unknown():.2f}")
    probes = score.probes_per_host()
    requests = sum(len(hits) for hits in score.requests.values())
    print(f"probes: {sum(probes.values())} over {len(probes)} hosts, at most {max(probes.values())} per host;"
          f" requests in all {requests}, of which probe requests"
          f" {sum(PROBE_MARK in seen.path for hits in score.requests.values() for seen in hits)}")
    misses = [row for row in score.rows if predicted(row["finding"]) != row["expect"]]
    if misses:
        print("\nMisjudged:")
        for row in misses:
            print(f"  {row['name']} [{row['expect']}] -> {row['finding']}: {row['detail']}")


if __name__ == "__main__":
    main()
