"""The dashboard's SQL box, asked over HTTP of a running dashboard: SQLite functions that hand out native
pointers are refused (dashboard/plugins/sql_guard.py); every other question is answered as before."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import yaml

from checking import check_here
from local_dashboard import dashboard
from local_web import LocalWeb, respond


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard-sql")
    with LocalWeb(first=70) as web:
        web.a.route("/canary", lambda request: respond(request, 204))
        page = web.a.route("/toolkit", title="Toolkit", body="<p>A toolkit for digital government.</p>")
        config = folder / "resources.yml"
        config.write_text(
            yaml.safe_dump(
                {
                    "settings": {
                        "timeout": 3,
                        "retries": 0,
                        "canaries": [web.a.url + "/canary"],
                        "archive": {"enabled": False},
                    },
                    "resources": [{"url": page, "title": "Toolkit"}],
                }
            )
        )
        check_here(config)
    with dashboard(config, folder) as served:
        yield served.url


def ask(site: str, sql: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{site}linkkeeper.json?_shape=objects&sql={urllib.request.quote(sql)}") as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


@pytest.mark.parametrize(
    "sql",
    [
        "select fts3_tokenizer('simple')",
        "select hex(FTS3_Tokenizer('porter')) as pointer",
        "with t(name) as (select 'unicode61') select fts3_tokenizer(name) from t",
        "select fts3_tokenizer('simple', x'0000000000000000')",
    ],
    ids=["one-argument", "any-case-in-an-expression", "in-a-cte", "two-arguments"],
)
def test_the_sql_box_refuses_fts3_tokenizer(site, sql):
    status, answer = ask(site, sql)
    assert status == 400, answer
    assert "not authorized" in answer["error"]
    assert not answer.get("rows")


def test_the_sql_box_still_answers_other_questions(site):
    status, answer = ask(site, "select url, title, lower(title) as low from resources")
    assert status == 200, answer
    assert [(row["title"], row["low"]) for row in answer["rows"]] == [("Toolkit", "toolkit")]


def test_the_canned_queries_still_answer(site):
    with urllib.request.urlopen(f"{site}linkkeeper/at_risk_links.json?_shape=objects") as answer:
        assert answer.status == 200
