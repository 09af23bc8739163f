"""`linkkeeper apply-moves`: the list follows links that moved for good, byte for byte elsewhere, and their history
goes on under the new address. Real runs over one SQLite file (the crawler's reports replayed: tests/recorded.py),
the command through click's CliRunner, the list a file written as a person would."""

from __future__ import annotations

import difflib
import json

import pytest

from checking import check_here, database, digest, health, linkkeeper_here
from dashboard.queries import LINK_CHECKS
from linkkeeper.config.moves import follow_moves
from linkkeeper.config.resources import load_config
from linkkeeper.store.queries import MOVE_CHECKS

pytestmark = pytest.mark.usefixtures("replayed_crawls")

PAGE = "<p>The training centre of the Asia-Pacific region, its courses and its library.</p>"


class Moved:
    """A hand-written list whose second link moved for good (checked MOVE_CHECKS times), the others not."""

    def __init__(self, web, tmp_path, checks: int = MOVE_CHECKS):
        self.new = web.c.route("/en/centre", title="Training centre", body=PAGE)
        self.old = web.b.route("/centre", status=301, headers={"Location": self.new})
        self.live = web.a.route("/toolkit", title="Toolkit", body=PAGE)
        self.contact = web.a.route("/contact", title="Contact", body=PAGE)
        self.config = tmp_path / "resources.yml"
        self.config.write_text(
            "# Resources of the 2019 meeting's report\n"
            "title:   Resources\n"
            "settings:\n"
            f"  canaries: ['{web.a.url}/canary']\n"
            "  timeout: 3\n"
            "  archive: {enabled: false}\n"
            "resources:\n"
            f"  - url: {self.live}    # the toolkit\n"
            "    title: 'Toolkit'\n"
            "\n"
            "  # Presentations\n"
            f"  - url:   '{self.old}'   # moved in 2024\n"
            '    title: "Training centre"\n'
            "    kind: organisation\n"
            "  - title: Contact\n"
            f"    url: {self.contact}\n",
            encoding="utf-8",
        )
        for _ in range(checks):
            check_here(self.config)

    def apply(self, *args: str):
        return linkkeeper_here("apply-moves", "--config", str(self.config), *args)


@pytest.fixture
def moved(web, tmp_path) -> Moved:
    return Moved(web, tmp_path)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_only_the_moved_url_and_its_new_cited_as_change_in_the_list(moved):
    before = moved.config.read_text()
    assert moved.apply().returncode == 0
    assert changed_lines(before, moved.config.read_text()) == [
        f"-   - url:   '{moved.old}'   # moved in 2024",
        f"+   - url:   '{moved.new}'   # moved in 2024",
        f"+     cited_as: '{moved.old}'",
    ]


def test_the_list_after_the_move_reads_the_new_address_cited_as_the_old(moved):
    moved.apply()
    resource = load_config(moved.config).resources[1]
    assert (resource.url, resource.cited_as, resource.title) == (moved.new, moved.old, "Training centre")


def test_a_dry_run_prints_the_diff_and_writes_nothing(moved):
    before = digest(moved.config), digest(moved.config.parent / "linkkeeper.db")
    done = moved.apply("--dry-run")
    assert done.returncode == 0
    assert f"-  - url:   '{moved.old}'   # moved in 2024\n+  - url:   '{moved.new}'" in done.stdout
    assert done.stdout.rstrip().endswith("Dry run: 1 to follow, nothing written.")
    assert (digest(moved.config), digest(moved.config.parent / "linkkeeper.db")) == before


def test_the_moved_link_keeps_its_history_under_the_new_address(moved):
    old_id = health(moved.config)[moved.old]["id"]
    moved.apply()
    assert health(moved.config)[moved.new]["id"] == old_id
    check_here(moved.config)
    history = linkkeeper_here("history", "--config", str(moved.config), "--json", moved.new)
    assert history.returncode == 0, history.stderr
    addresses = [check["url"] for check in json.loads(history.stdout)["checks"]]
    assert addresses == [moved.new] + [moved.old] * MOVE_CHECKS
    assert health(moved.config)[moved.new]["state"] == "ok"


def test_the_dashboards_link_page_shows_the_checks_made_at_the_old_address(moved):
    moved.apply()
    rows = database(moved.config).execute(LINK_CHECKS, {"url": moved.new, "limit": 10}).fetchall()
    assert len(rows) == MOVE_CHECKS


def test_a_move_seen_by_one_check_only_is_not_followed(web, tmp_path):
    once = Moved(web, tmp_path, checks=1)
    before = digest(once.config)
    done = once.apply()
    assert done.stdout.strip() == "No listed link has moved for good (2 checks in a row): nothing to change."
    assert digest(once.config) == before


def test_a_cited_as_already_written_is_kept():
    text = "resources:\n  - url: http://a.example/\n    cited_as: '#'\n    note: found by hand\n"
    after, _ = follow_moves("resources.yml", text, {"http://a.example/": "https://a.example/home"})
    assert after == "resources:\n  - url: https://a.example/home\n    cited_as: '#'\n    note: found by hand\n"


def test_a_flow_mapping_gets_its_cited_as_inside_its_braces():
    text = 'resources:\n  - {url: "http://a.example/", title: A}\n'
    after, _ = follow_moves("resources.yml", text, {"http://a.example/": "https://a.example/home"})
    assert after == 'resources:\n  - {url: "https://a.example/home", cited_as: "http://a.example/", title: A}\n'


def test_windows_line_endings_are_kept():
    text = "resources:\r\n  - url: http://a.example/\r\n    title: A\r\n"
    after, _ = follow_moves("resources.yml", text, {"http://a.example/": "https://a.example/home"})
    assert after.split("\r\n") == [
        "resources:", "  - url: https://a.example/home", '    cited_as: "http://a.example/"', "    title: A", ""
    ]


def test_a_move_followed_by_hand_keeps_the_history_too(moved):
    old_id = health(moved.config)[moved.old]["id"]
    moved.config.write_text(moved.config.read_text().replace(moved.old, moved.new))
    check_here(moved.config)
    assert health(moved.config)[moved.new]["id"] == old_id


def test_a_move_to_an_address_listed_too_is_left_for_a_person(moved):
    text = moved.config.read_text()
    moved.config.write_text(text + f"  - url: {moved.new}\n    title: The centre's new home\n")
    before = digest(moved.config)
    done = moved.apply()
    assert done.stdout.splitlines() == [
        f"{moved.old}: not followed: {moved.new} is listed too (line 17); remove one of them by hand",
        "Nothing written.",
    ]
    assert digest(moved.config) == before


def test_a_list_never_checked_is_refused_and_no_database_is_created(tmp_path):
    config = tmp_path / "resources.yml"
    config.write_text("resources:\n  - url: http://127.0.0.1:9/page\n")
    done = linkkeeper_here("apply-moves", "--config", str(config))
    assert done.returncode == 2
    assert done.stderr.strip() == f"Error: {tmp_path / 'linkkeeper.db'}: no database yet (run check-links first)"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["resources.yml"]


def test_a_report_printing_the_old_address_is_still_repaired_to_the_new_one(moved):
    moved.apply()
    report = moved.config.parent / "report.md"
    report.write_text(f"The training centre: <{moved.old}>\n")
    done = linkkeeper_here("repair", str(report), "--config", str(moved.config))
    assert done.returncode == 0, done.stderr
    assert (moved.config.parent / "report.repaired.md").read_text() == f"The training centre: <{moved.new}>\n"


def test_importing_the_report_again_adds_no_entry_for_the_old_address(moved):
    moved.apply()
    report = moved.config.parent / "report.md"
    report.write_text(f"The training centre: <{moved.old}>\n")
    done = linkkeeper_here("import", str(report), "--config", str(moved.config))
    assert done.returncode == 0, done.stderr
    assert "0 new, 1 already listed" in done.stdout
    assert moved.old not in [resource.url for resource in load_config(moved.config).resources]
