"""The dashboard's full-text search over the links (store/views.py): kept current when what it indexes changes,
and not rewritten by a run that only records the links' health."""

from __future__ import annotations

import yaml

from checking import check_here, database
from linkkeeper.store.views import SEARCH_TABLE, SEARCHED, UPDATE_TRIGGER


def index_data(config) -> list[tuple]:
    return list(database(config).execute(f"select * from {SEARCH_TABLE}_data order by id").fetchall())


def found(config, words: str) -> list[str]:
    return [url for (url,) in database(config).execute(
        f"select url from {SEARCH_TABLE} where {SEARCH_TABLE} match ?", [words]
    ).fetchall()]


def test_a_run_that_only_records_health_leaves_the_search_index_as_it_was(web, write_config):
    urls = [web.a.route(f"/page/{n}", title="A page") for n in range(5)]
    config = write_config(urls)
    assert check_here(config).returncode == 0
    before = index_data(config)
    assert check_here(config).returncode == 0
    assert index_data(config) == before


def test_a_link_whose_title_changed_is_found_by_its_new_title(web, write_config):
    url = web.a.route("/kb", title="A page")
    config = write_config([{"url": url, "title": "Digital government toolkit"}])
    assert check_here(config).returncode == 0
    listed = yaml.safe_load(config.read_text())
    listed["resources"][0]["title"] = "Knowledge base for island states"
    config.write_text(yaml.safe_dump(listed, sort_keys=False))
    assert check_here(config).returncode == 0
    assert (found(config, "island"), found(config, "toolkit")) == ([url], [])


def test_an_older_databases_search_trigger_is_narrowed_to_the_indexed_columns(web, write_config):
    config = write_config([web.a.route("/page", title="A page")])
    assert check_here(config).returncode == 0
    database(config)["resources"].enable_fts(SEARCHED, create_triggers=True, replace=True)  # as sqlite-utils made it
    assert check_here(config).returncode == 0
    trigger = database(config).execute("select sql from sqlite_master where name = 'resources_au'").fetchone()
    assert trigger == (UPDATE_TRIGGER,)
