"""The contracts across boundaries: the check row between the crawler's process and the `checks` table,
the views of every database whatever its age, and the job's settings however the crawler is started."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings
from sqlite_utils import Database

from checking import DEAD_AT_ONCE, FAST_ARCHIVE, json_here
from crawler.items import PAGE_COPIES_SETTING
from crawler.job import from_list
from linkkeeper.config.settings import DEFAULT_USER_AGENT, SETTINGS
from linkkeeper.config.settings import Settings as ListSettings
from linkkeeper.health.check_record import STORED_FIELDS
from linkkeeper.store import migrations, opening
from linkkeeper.store.schema import COLUMNS, RUN_JSON, TABLES
from local_wayback import LocalWayback
from local_web import slow_page

ROOT = Path(__file__).resolve().parent.parent  # where scrapy.cfg is, for `scrapy crawl`
DEFAULTS = ListSettings.from_flat({})  # the list's settings when resources.yml gives none

# What check-links adds to each check it stores: the row's identity, the resource and run it belongs to,
# what it derives (the number of redirects) and the link's health after the check.
ADDED_BY_CHECK_LINKS = {"id", "run_id", "resource_id", "redirects", "state", "reason"}


def columns(db: Database, table: str) -> list[str]:
    return [column.name for column in db[table].columns]


def view_sql(db: Database) -> dict[str, str]:
    return {row["name"]: row["sql"] for row in db.query("select name, sql from sqlite_master where type = 'view'")}


@pytest.fixture
def fresh(tmp_path) -> Database:
    db = opening.open_database(tmp_path / "fresh.db")
    yield db
    db.close()


def test_the_crawler_reports_every_column_of_checks_that_check_links_does_not_add(fresh):
    assert sorted([*STORED_FIELDS, *ADDED_BY_CHECK_LINKS]) == sorted(columns(fresh, "checks"))


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_of_the_database_has_its_meaning_written_down_and_no_other(fresh, table):
    """What the dashboard and the README say of the database is what a fresh database has."""
    assert list(COLUMNS[table]) == columns(fresh, table)


def test_check_links_json_has_the_keys_the_readme_gives_and_no_other(web, write_config, monkeypatch):
    with LocalWayback() as wayback:
        monkeypatch.setenv("LINKKEEPER_WAYBACK_URL", wayback.base_url)
        config = write_config([web.a.route("/gone", status=404)], archive=FAST_ARCHIVE, health=DEAD_AT_ONCE)
        _, printed = json_here(config)
    assert list(printed) == list(RUN_JSON)
    for key, (_, keys) in RUN_JSON.items():
        value = printed[key]
        entries = value if isinstance(value, list) else [value]
        assert entries, f"nothing under {key!r} to compare"
        for entry in entries:
            assert (list(entry) if isinstance(entry, dict) else []) == list(keys), key


def test_a_database_migrated_from_its_first_version_has_the_views_of_a_fresh_one(tmp_path, fresh):
    old = Database(tmp_path / "old.db")
    first, second = (migration.name for migration in migrations.migrations.pending(old)[:2])
    migrations.migrations.apply(old, stop_before=second)
    assert [m.name for m in migrations.migrations.applied(old)] == [first]
    old.execute("create view link_health as select id, url, state from resources")  # as the first version had it
    old.close()

    migrated = opening.open_database(tmp_path / "old.db")
    assert view_sql(migrated) == view_sql(fresh) != {}
    migrated.close()


def test_opening_a_current_database_rewrites_no_view(tmp_path, fresh):
    path = tmp_path / "fresh.db"
    before = Database(path).execute("pragma schema_version").fetchone()
    opening.open_database(path).close()
    assert Database(path).execute("pragma schema_version").fetchone() == before


def test_a_crawl_started_by_hand_sends_the_jobs_user_agent_and_keeps_its_per_host_limit(web, tmp_path):
    """`scrapy crawl links -a job=JOB` (named in scrapy.cfg) is as polite as check-links: the spider, not
    the way it was started, applies the job's settings."""
    urls = [web.b.route(f"/slow/{n}", slow_page(0.1)) for n in range(6)]
    agent = "contract-test/1.0 (+https://example.org/contact)"
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "targets": [{"id": n, "url": url} for n, url in enumerate(urls)],
                "settings": {"user_agent": agent, "per_host_concurrency": 1, "timeout": 10, "retries": 0},
            }
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "links", "-a", f"job={job}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    reported = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(record["url"] for record in reported if record["type"] == "CheckItem") == sorted(urls)
    assert {seen.headers["User-Agent"] for seen in web.b.seen} == {agent}
    assert len(web.b.seen) >= len(urls)
    assert web.b.max_in_flight == 1


def test_the_crawlers_process_reads_its_job_file_once(web, tmp_path):
    """`python -m crawler JOB` reads the job once (crawler/process.py) and hands it to the spider, which reads
    the file itself only when started by hand (`scrapy crawl links -a job=JOB`)."""
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"targets": [{"id": 1, "url": web.a.route("/page")}], "settings": {"retries": 0}}))
    counting = (
        "import sys\n"
        "from crawler.job import Job\n"
        "from crawler.__main__ import main\n"
        "read, reads = Job.read.__func__, []\n"
        "Job.read = classmethod(lambda cls, path: reads.append(path) or read(cls, path))\n"
        "code = main(sys.argv[1])\n"
        "print(len(reads), code, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", counting, str(job)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert done.stderr.splitlines()[-1] == "1 0", done.stderr
    assert [json.loads(line)["target"] for line in done.stdout.splitlines()] == [1]


def test_every_linkkeeper_setting_the_crawler_reads_has_a_default_in_the_project_settings():
    """However the crawler is started, even with no job (`scrapy fetch`), it reads no LINKKEEPER_* setting as
    missing: the body limit read as 0 once stopped every download at its first chunk."""
    read = {
        name
        for path in (ROOT / "crawler").rglob("*.py")
        for name in re.findall(r"[\"'](LINKKEEPER_[A-Z_]+)[\"']", path.read_text())
    }
    assert "LINKKEEPER_MAX_BODY_BYTES" in read
    project = Settings()
    project.setmodule("crawler.settings")
    assert {name for name in read if project.get(name) is None} == set()
    assert {name: project[name] for name in from_list(DEFAULTS)} == from_list(DEFAULTS)


def test_every_linkkeeper_setting_the_crawler_reads_defaults_to_the_documented_default():
    """Each LINKKEEPER_* setting read in crawler/ is a setting of the list, `LINKKEEPER_` and its name in
    capitals, and the project settings give it the default the docs' table gives; the one that is not, the
    archive step's list of outcomes to copy, defaults to none."""
    read = {
        name
        for path in (ROOT / "crawler").rglob("*.py")
        for name in re.findall(r"[\"'](LINKKEEPER_[A-Z_]+)[\"']", path.read_text())
    }
    project = Settings()
    project.setmodule("crawler.settings")
    from_the_list = read - {PAGE_COPIES_SETTING}
    assert from_the_list and {name: project[name] for name in from_the_list} == {
        name: SETTINGS[name.removeprefix("LINKKEEPER_").lower()].default for name in from_the_list
    }
    assert project.getlist(PAGE_COPIES_SETTING) == []


def test_scrapy_fetch_from_the_project_folder_reads_a_page_as_a_check_does(web):
    """`scrapy fetch URL` and `scrapy list`, from the folder where scrapy.cfg is: the whole page (up to the list's
    `max_body_bytes`), fetched with the list's User-Agent; the spiders named."""
    body = b"<!doctype html><title>A long page</title><p>" + b"word " * 60_000 + b"</p>"
    url = web.a.route("/long", body=body)
    fetched = subprocess.run(
        [sys.executable, "-m", "scrapy", "fetch", "--nolog", url],
        cwd=ROOT, capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert fetched.returncode == 0, fetched.stderr
    assert len(body) == 300_048 and fetched.stdout == body + b"\n"  # scrapy fetch ends what it prints with a newline
    assert [seen.headers["User-Agent"] for seen in web.a.hits("/long")] == [DEFAULT_USER_AGENT]

    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["links", "report", "worker"]


def test_elapsed_ms_is_the_time_a_page_took_not_its_time_in_the_hosts_queue(web, write_config):
    """Eight pages of 100 ms one at a time: the last waits about 700 ms for its turn, and that is not its
    response time (stamping the request when it was made recorded up to 900 ms and more)."""
    urls = [web.b.route(f"/slow/{n}", slow_page(0.1)) for n in range(8)]
    code, result = json_here(write_config(urls, per_host_concurrency=1))
    assert code == 0
    elapsed = [resource["elapsed_ms"] for resource in result["resources"]]
    assert len(elapsed) == 8
    assert all(100 <= ms < 400 for ms in elapsed), elapsed
