"""bench/mutation.py: its sorting of survivors, which decides its headline figure, and one real run of mutmut
over the suite's own tests (the suite must run under mutmut: tests/conftest.py adopts no orphans there)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutation_bench", ROOT / "bench" / "mutation.py")
mutation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutation)


def diff(before: str, after: str) -> str:
    return f"--- m.py\n+++ m.py\n@@ -1,1 +1,1 @@\n-{before}\n+{after}"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('    return "an interstitial that is only a frame"', '    return "AN INTERSTITIAL THAT IS ONLY A FRAME"'),
        ('    said = f"{refused} ({shown(store, 40)})"', '    said = f"{refused} ({shown(store, 41)})"'),
        ('    fail(line, "`title:` must be a string")', '    fail(line, "XX`title:` must be a stringXX")'),
    ],
    ids=["a-sentence", "an-f-string-sentence", "an-error-message"],
)
def test_a_mutant_that_changes_only_the_words_a_person_reads_is_wording(before, after):
    assert mutation.wording_only(diff(before, after))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('        return Verdict("forbidden", said)', '        return Verdict("XXforbiddenXX", said)'),
        ('    text = text.replace(echo, " ")', '    text = text.replace(echo, "XX XX")'),
        ('    if words < 40 and "a b" in text:', '    if words <= 40 and "a b" in text:'),
        ('    return "a page of its own" if found else None', '    return "a page of its own" if not found else None'),
    ],
    ids=["a-findings-name", "a-separator", "a-comparison", "a-condition-beside-a-sentence"],
)
def test_a_mutant_that_changes_a_name_a_separator_or_code_can_change_a_verdict(before, after):
    assert not mutation.wording_only(diff(before, after))


def test_a_mutant_that_adds_or_removes_lines_can_change_a_verdict():
    assert not mutation.wording_only("--- m.py\n+++ m.py\n-    return None\n")


@pytest.mark.long
def test_mutmut_runs_over_the_suites_tests_and_reports_the_killed_share():
    done = subprocess.run(
        [sys.executable, "bench/mutation.py", "--module", "archive/policy.py",
         "--tests", "tests/test_archive_policy.py", "--max-children", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    counted = re.fullmatch(r"mutation: (\d+)/(\d+) verdict-changing mutants killed \([\d.]+%\)", last)
    killed, total = map(int, counted.groups())
    assert total > 50 and killed > total / 2, done.stdout
