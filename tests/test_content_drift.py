"""Content drift over runs: a page that still answers but now says something else is at risk. Runs in this
process, with the crawler's reports for pages it has crawled before replayed (tests/recorded.py)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from checking import check_here, database, health
from cli import cli
from linkkeeper.health.drift import Baseline, Content, judge_drift
from linkkeeper.health.similarity import signature

pytestmark = pytest.mark.usefixtures("replayed_crawls")

TOOLKIT = " ".join(
    f"Chapter {n} of the digital government toolkit explains how small island states plan shared services,"
    f" train civil servants and measure what citizens get from e-government in year {2010 + n}."
    for n in range(12)
)
CASINO = " ".join(
    f"Play the best online casino games number {n}, claim free spins and bonus offers, win jackpots tonight"
    f" with our lucky wheel and live dealers {n}."
    for n in range(12)
)


def serve(web, title: str, body: str) -> str:
    """The toolkit page, saying `title` and `body` from now on."""
    return web.b.route("/toolkit", title=title, body=f"<p>{body}</p>")


def test_a_page_replaced_by_other_content_is_at_risk_with_both_fingerprints_kept(web, write_config):
    config = write_config([serve(web, "Digital government toolkit", TOOLKIT)])
    assert check_here(config).returncode == 0
    serve(web, "Best casino", CASINO)
    assert check_here(config).returncode == 0
    row = next(iter(health(config).values()))
    assert (row["state"], row["finding"]) == ("at_risk", "content-changed")
    assert row["reason"].startswith("content changed since ")
    assert "title was 'Digital government toolkit', now 'Best casino'" in row["reason"]
    stored = next(database(config)["resources"].rows)
    assert stored["baseline_signature"] != stored["content_signature"]
    assert stored["changed_since"] == stored["content_at"]


def test_an_edited_page_keeps_its_baseline_and_stays_ok(web, write_config):
    config = write_config([serve(web, "Digital government toolkit", TOOLKIT)])
    check_here(config)
    serve(
        web,
        "Digital government toolkit",
        TOOLKIT.replace("year 2015", "year 2025") + " Updated in 2026 with a new chapter on data.",
    )
    check_here(config)
    assert next(iter(health(config).values()))["state"] == "ok"


def test_accept_takes_the_new_content_as_the_baseline(web, write_config):
    url = serve(web, "Digital government toolkit", TOOLKIT)
    config = write_config([url])
    check_here(config)
    serve(web, "Digital government toolkit, new edition", CASINO)
    check_here(config)
    accepted = CliRunner().invoke(cli, ["accept", "--config", str(config), url])
    assert accepted.exit_code == 0, accepted.output
    assert f"Accepted the text of {url}" in accepted.output
    assert next(iter(health(config).values()))["state"] == "ok"
    check_here(config)
    assert next(iter(health(config).values()))["finding"] == "ok"


def test_accept_of_an_unlisted_url_is_bad_input_and_changes_nothing(web, write_config):
    config = write_config([serve(web, "Digital government toolkit", TOOLKIT)])
    check_here(config)
    before = list(database(config)["resources"].rows)
    refused = CliRunner().invoke(cli, ["accept", "--config", str(config), "http://unlisted.example/"])
    assert refused.exit_code == 2
    assert "http://unlisted.example/: not in the list" in refused.output
    assert list(database(config)["resources"].rows) == before


def test_the_first_good_text_becomes_the_baseline():
    seen = Content("Toolkit", signature(TOOLKIT), "2026-11-01T00:00:00+00:00")
    assert judge_drift(Baseline(), seen).baseline == Baseline(seen)


def test_a_drift_keeps_the_day_it_was_first_seen():
    first = Content("Toolkit", signature(TOOLKIT), "2026-10-01T00:00:00+00:00")
    later = Content("Casino", signature(CASINO), "2026-11-20T00:00:00+00:00")
    drifting = judge_drift(Baseline(first, "2026-11-10T00:00:00+00:00"), later)
    assert drifting.baseline.changed_since == "2026-11-10T00:00:00+00:00"
    assert "since 2026-11-10" in drifting.detail and "baseline of 2026-10-01" in drifting.detail


def test_a_page_that_changes_back_is_no_longer_drifting():
    first = Content("Toolkit", signature(TOOLKIT), "2026-10-01T00:00:00+00:00")
    back = judge_drift(Baseline(first, "2026-11-10T00:00:00+00:00"), first)
    assert back.detail is None and back.baseline.changed_since is None


def test_signatures_are_datasketchs_minhash_so_those_stored_earlier_still_compare():
    """linkkeeper computes the signature itself (datasketch's import cost every crawler 0.4 s); the values
    must stay those of datasketch's MinHash (affine32, 64 permutations), which earlier runs stored."""
    import base64

    from datasketch import MinHash

    from linkkeeper.health.similarity import PERMUTATIONS, SCHEME, shingles

    for text in (TOOLKIT, CASINO, "", "one", "日本語のテキスト 和 English words"):
        minhash = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME)
        minhash.update_batch([shingle.encode() for shingle in shingles(text)])
        assert signature(text) == base64.b64encode(minhash.hashvalues.astype("<u4").tobytes()).decode("ascii")
