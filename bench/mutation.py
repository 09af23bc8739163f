"""Mutation testing of the rules people act on: how many broken rules would the tests notice?

    pip install -e '.[dev,mutation]'
    python bench/mutation.py [--module crawler/rules/walls.py ...] [--tests tests/FILE.py ...] [--max-children N]
                             [--keep DIR] [--survivors]

mutmut (3.8) copies the project to a scratch folder, breaks one thing at a time in the judging, health,
archive-policy and input modules (a `<` made `<=`, an `and` made `or`, a return made `None`, ...) and runs
the tests that reach the broken function. A mutant no test fails survived. Survivors are sorted in two:
those that can change a verdict, a state, a report or what input is accepted, and those that change only
the words of a reason or a message (every change inside text literals that hold words). The last line:

    mutation: K/N verdict-changing mutants killed (P%)

The tests given to mutmut are those that judge in-process (mutmut follows calls only within its own
process, so the modules that start the crawler as a child process cannot be credited with a kill). The
checkout is never touched: mutmut works in a copy of the files git knows, under a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from checking import copy_of_the_clone  # noqa: E402  (the tests' helpers: bench/detection.py reads them too)

MODULES = (
    "linkkeeper/health/state.py",
    "crawler/rules/verdict.py",
    "crawler/rules/absence.py",
    "crawler/rules/walls.py",
    "crawler/rules/error_pages.py",
    "crawler/rules/soft404.py",
    "archive/policy.py",
    "linkkeeper/urls.py",
    "linkkeeper/config/resources.py",
)
"""The modules whose rules decide what a person sees and acts on."""

TESTS = (
    "tests/test_health_rules.py",
    "tests/test_verdict_rules.py",
    "tests/test_absence.py",
    "tests/test_wall_rules.py",
    "tests/test_soft404_rules.py",
    "tests/test_error_page_rules.py",
    "tests/test_corpus_verdicts.py",
    "tests/test_archive_policy.py",
    "tests/test_url_rules.py",
    "tests/test_config_rules.py",
    "tests/test_bad_input.py",
    "tests/test_bad_input_urls.py",
    "tests/test_bad_input_settings.py",
    "tests/test_bad_input_yaml.py",
    "tests/test_resource_list.py",
)
"""The tests that judge in-process; those that are missing (not written yet) are left out."""

PACKAGES = ("linkkeeper", "crawler", "archive")


def mutmut_config(work: Path, modules: list[str], tests: list[str]) -> str:
    """mutmut's settings: it runs the tests in a copy of its own (`mutants/`) of the packages and of
    everything else at the top level (the docs and corpus the tests read)."""
    quoted = ", ".join
    also_copy = sorted(path.name for path in work.iterdir() if path.name not in PACKAGES and path.name != "mutants")
    return (
        "\n[tool.mutmut]\n"
        f"source_paths = [{quoted(repr(p) for p in PACKAGES)}]\n"
        f"only_mutate = [{quoted(repr(m) for m in modules)}]\n"
        f"also_copy = [{quoted(repr(p) for p in also_copy)}]\n"
        f"pytest_add_cli_args_test_selection = [{quoted(repr(t) for t in tests)}]\n"
        # In-process and quiet: mutmut forks one child a mutant, and follows calls in its own process only.
        "pytest_add_cli_args = ['-n', '0', '-p', 'no:cacheprovider', '-q', '-x']\n"
        "use_git_change_detection = false\n"
    ).replace("'", '"')


def _strings_and_code(line: str) -> tuple[list[str], list[str]]:
    """A line's text literals, and its other tokens; a line that is no complete statement is all code."""
    strings, code = [], []
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            if token.type == tokenize.STRING or token.type in _FSTRING_TEXT:
                strings.append(token.string)
            elif token.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT):
                code.append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [], [line]
    return strings, code


_FSTRING_TEXT = {getattr(tokenize, "FSTRING_MIDDLE", -1)}


def wording_only(diff: str) -> bool:
    """Whether a mutant changed nothing but the words of text a person reads: each changed line pair differs
    only in text literals (an f-string's expressions included), and each changed literal holds words in a row
    (a sentence, not a separator, a key, a finding's name or a header's)."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    if not removed or len(removed) != len(added):
        return False
    for before, after in zip(removed, added, strict=True):
        strings_before, code_before = _strings_and_code(before)
        strings_after, code_after = _strings_and_code(after)
        if code_before != code_after or len(strings_before) != len(strings_after):
            return False
        for old, new in zip(strings_before, strings_after, strict=True):
            if old != new and not _PROSE.search(old):
                return False
    return True


_PROSE = re.compile(r"[^\W\d_]{2,}\W+[^\W\d_]{2,}")
"""Two words in a row: a sentence or a phrase a person reads, not a separator (`" "`, `", "`) or a key."""


def run_mutmut(work: Path, max_children: int) -> None:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    finished = subprocess.run(command, cwd=work, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if finished.returncode:  # mutmut says why on its standard output, after its progress lines
        said = finished.stdout.decode(errors="replace")[-3000:]
        sys.exit(f"mutation: mutmut failed ({finished.returncode}):\n{said}")


def results(work: Path) -> dict[str, tuple[str, str]]:
    """mutant name -> (status, diff), read with mutmut's own API from inside the scratch folder."""
    os.chdir(work)
    sys.path.insert(0, str(work))
    from mutmut.__main__ import walk_mutatable_files
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    found = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, exit_code in data.exit_code_by_key.items():
            status = status_by_exit_code[exit_code]
            found[name] = (status, "" if status == "killed" else get_diff_for_mutant(name, path=path))
    return found


def module_of(mutant: str) -> str:
    return mutant.split(".x_")[0].split(".xǁ")[0]


def report(found: dict[str, tuple[str, str]], show_survivors: bool) -> tuple[int, int]:
    per_module: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, (status, diff) in sorted(found.items()):
        module = module_of(name)
        kind = "wording" if status != "killed" and wording_only(diff) else "verdict"
        per_module[module][kind, status == "killed"] += 1
        if status != "killed":
            survivors[module].append(f"{name} ({status}, {kind})\n{diff}")
    killed_all = total_all = 0
    print(f"{'module':<28} {'verdict-changing killed':>24} {'wording-only survivors':>24}")
    for module, counts in sorted(per_module.items()):
        killed, total = counts["verdict", True], counts["verdict", True] + counts["verdict", False]
        killed_all, total_all = killed_all + killed, total_all + total
        share = f"{killed}/{total} ({100 * killed / max(total, 1):.1f}%)"
        print(f"{module:<28} {share:>24} {counts['wording', False]:>24}")
        if show_survivors:
            for survivor in survivors[module]:
                print("\n" + survivor)
    return killed_all, total_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", choices=MODULES, help="only this module (repeatable)")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (mutmut's own files)")
    parser.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    parser.add_argument("--tests", action="append", help="only this test file (repeatable; default: TESTS)")
    options = parser.parse_args()
    modules = options.module or list(MODULES)
    tests = options.tests or [test for test in TESTS if (ROOT / test).exists()]
    work = options.keep or Path(tempfile.mkdtemp(prefix="linkkeeper-mutation-"))
    try:
        work.mkdir(parents=True, exist_ok=True)
        copy_of_the_clone(work)
        with (work / "pyproject.toml").open("a") as pyproject:
            pyproject.write(mutmut_config(work, modules, tests))
        run_mutmut(work, options.max_children)
        killed, total = report(results(work), options.survivors)
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"mutation: {killed}/{total} verdict-changing mutants killed ({100 * killed / max(total, 1):.1f}%)")


if __name__ == "__main__":
    main()
