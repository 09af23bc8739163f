"""`linkkeeper repair`: a report's dead links lead to their verified archived copies, moved ones to their new
address, lost `#` links a person identified are filled in, and nothing else of the file changes.

Each history is made by real `check-links` runs over the local web, with the archive step asking a local
Wayback Machine whose captures of a dead page include a parked page and an error that answered 200.
"""

from __future__ import annotations

import difflib
import io
import json
import subprocess
from contextlib import closing
from pathlib import Path

import docx
import pytest
import yaml
from fpdf import FPDF
from word_files import footnote, hyperlink, hyperlinks

from checking import (
    DEAD_AT_ONCE,
    FAST_ARCHIVE,
    LINKKEEPER,
    ROOT,
    check_here,
    database,
    linkkeeper_here,
    on_a_read_only_disk,
)
from local_wayback import LocalWayback

pytestmark = pytest.mark.usefixtures("replayed_crawls")

PAGE = "<h1>{0}</h1>" + "<p>The {0} explains how governments of small island states plan digital services.</p>" * 12
PARKED = "<h1>{0}</h1><p>This domain may be for sale. Buy this domain today.</p>"


def page(title: str) -> dict:
    return {"title": title, "body": PAGE.format(title)}


@pytest.fixture
def wayback(monkeypatch):
    with LocalWayback() as local:
        monkeypatch.setenv("LINKKEEPER_WAYBACK_URL", local.base_url)
        yield local


class World:
    """A list, its history after two runs, and the addresses it holds by what became of them."""

    def __init__(self, web, wayback, write_config, tmp_path: Path):
        self.gone = web.a.route("/toolkit", status=410)
        self.real_copy = f"{wayback.base_url}/web/20190801120000/{self.gone}"
        wayback.add_capture(self.gone, "20190801120000", body=_html(page("Digital government toolkit")))
        wayback.add_capture(self.gone, "20220301000000", body=_html({"title": "toolkit.example", "body": PARKED}))
        wayback.add_capture(self.gone, "20240101000000", status=404, body=b"<title>Not Found</title>")
        self.lost = web.a.route("/programme", status=404)
        self.live = web.b.route("/knowledge-base", **page("Knowledge base"))
        self.new_home = web.c.route("/en", **page("Training centre"))
        self.moved = web.b.route("/centre", status=301, headers={"Location": self.new_home})
        self.identified = web.c.route("/unpog", **page("UNPOG"))
        self.unlisted = "http://unlisted.example.org/page"
        resources = [
            {"url": self.gone, "title": "Digital government toolkit"},
            {"url": self.lost, "title": "Programme page"},
            {"url": self.live, "title": "Knowledge base"},
            {"url": self.moved, "title": "Training centre"},
            {"url": self.identified, "title": "UNPOG Digital Government", "cited_as": "#",
             "note": "The anchor lost its target; the organisation is certain."},
        ]
        self.config = write_config(resources, archive=FAST_ARCHIVE, health=DEAD_AT_ONCE)
        for _ in range(2):  # a move is followed only once two checks saw it
            check_here(self.config)
        self.folder = tmp_path

    def repair(self, name: str, content: str | bytes, *args: str):
        report = self.folder / name
        report.write_bytes(content.encode() if isinstance(content, str) else content)
        done = linkkeeper_here("repair", str(report), "--config", str(self.config), *args)
        return report, done


@pytest.fixture
def world(web, wayback, write_config, tmp_path) -> World:
    return World(web, wayback, write_config, tmp_path)


def _html(response: dict) -> bytes:
    title, body = response["title"], response["body"]
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>".encode()


def markdown_report(world: World) -> str:
    return (
        "# Resources\n\n"
        "Quoted from the meeting. [[UNPOG Digital Government](#)]\n\n"
        f"1. The [toolkit]({world.gone} \"Toolkit\") for developing countries.\n"
        f"2. The programme: <{world.lost}>\n"
        f"3. The [knowledge base]({world.live}).\n"
        f"4. The training centre, at {world.moved}\n"
        f"5. Elsewhere: [a page]({world.unlisted}).\n\n"
        f"```\n{world.gone}  (code is not a link)\n```\n\n"
        "[ref]: " + world.gone + ' "The toolkit again"\n'
    )


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    pairs = [(old, new) for old, new in zip(before.splitlines(), after.splitlines(), strict=True) if old != new]
    return pairs


def test_a_dead_link_leads_to_its_verified_copy_never_to_a_parked_capture(world):
    report, done = world.repair("report.md", markdown_report(world))
    assert done.returncode == 0, done.stdout + done.stderr
    repaired = report.with_name("report.repaired.md").read_text()
    assert f"[toolkit]({world.real_copy} \"Toolkit\")" in repaired
    assert f"[ref]: {world.real_copy} \"The toolkit again\"" in repaired
    assert "20220301000000" not in repaired


def test_only_the_lines_of_repaired_links_change(world):
    before = markdown_report(world)
    report, _ = world.repair("report.md", before)
    after = report.with_name("report.repaired.md").read_text()
    assert len(after.splitlines()) == len(before.splitlines())
    assert [old for old, _ in changed_lines(before, after)] == [
        "Quoted from the meeting. [[UNPOG Digital Government](#)]",
        f"1. The [toolkit]({world.gone} \"Toolkit\") for developing countries.",
        f"4. The training centre, at {world.moved}",
        "[ref]: " + world.gone + ' "The toolkit again"',
    ]


def test_a_moved_link_gets_its_new_address_and_a_lost_hash_link_the_identified_one(world):
    report, _ = world.repair("report.md", markdown_report(world))
    repaired = report.with_name("report.repaired.md").read_text()
    assert f"4. The training centre, at {world.new_home}\n" in repaired
    assert f"[[UNPOG Digital Government]({world.identified})]" in repaired


def test_a_dead_link_with_no_copy_is_left_as_it_is_and_listed_for_a_person(world):
    report, done = world.repair("report.md", markdown_report(world))
    assert f"2. The programme: <{world.lost}>\n" in report.with_name("report.repaired.md").read_text()
    left = done.stdout.split("Left for a person (1)")[1]
    assert world.lost in left and "no good archived copy found" in left


def test_a_copy_recorded_before_copies_were_verified_is_not_handed_to_readers(world):
    with closing(database(world.config)) as db, db.conn:
        db.execute("update resources set archive_verified_at = null where url = ?", [world.gone])
    report, done = world.repair("report.md", markdown_report(world))
    assert world.real_copy not in report.with_name("report.repaired.md").read_text()
    assert "its archived copy is not verified yet" in done.stdout.split("Left for a person")[1]


def test_live_unlisted_and_code_links_are_untouched(world):
    report, _ = world.repair("report.md", markdown_report(world))
    repaired = report.with_name("report.repaired.md").read_text()
    assert f"[knowledge base]({world.live})" in repaired
    assert f"[a page]({world.unlisted})" in repaired
    assert f"```\n{world.gone}  (code is not a link)\n```" in repaired


def test_a_move_seen_on_one_check_only_is_not_followed(web, wayback, write_config, tmp_path):
    new = web.c.route("/en", **page("Training centre"))
    moved = web.b.route("/centre", status=301, headers={"Location": new})
    config = write_config([moved], archive=FAST_ARCHIVE)
    check_here(config)
    report = tmp_path / "report.md"
    report.write_text(f"See <{moved}>.\n")
    done = linkkeeper_here("repair", str(report), "--config", str(config), "--json")
    assert json.loads(done.stdout)["changes"] == []


def test_the_change_log_says_where_what_and_why_in_json(world):
    _, done = world.repair("report.md", markdown_report(world), "--json")
    changes = json.loads(done.stdout)["changes"]
    gone = [change for change in changes if change["old"] == world.gone]
    assert [change["where"] for change in gone] == ["line 5", "line 15"]
    assert gone[0] | {"why": None} == {
        "where": "line 5", "kind": "archived", "old": world.gone, "new": world.real_copy, "listed_url": world.gone,
        "why": None, "captured_at": "2019-08-01T12:00:00+00:00",
    }
    assert gone[0]["why"].endswith("archived copy of 1 August 2019")
    assert {change["kind"] for change in changes} == {"archived", "moved", "filled", "lost"}


def test_a_dry_run_prints_the_diff_and_writes_nothing(world):
    report, done = world.repair("report.md", markdown_report(world), "--dry-run")
    assert done.returncode == 0
    assert not report.with_name("report.repaired.md").exists()
    assert f"-1. The [toolkit]({world.gone}" in done.stdout
    assert f"+1. The [toolkit]({world.real_copy}" in done.stdout


def test_an_output_that_exists_is_refused_without_force(world):
    report, _ = world.repair("report.md", markdown_report(world))
    output = report.with_name("report.repaired.md")
    output.write_text("a person's own file\n")
    _, done = world.repair("report.md", markdown_report(world))
    assert done.returncode == 2
    assert done.stderr.strip().endswith("already exists; give another --output, or --force to replace it")
    assert output.read_text() == "a person's own file\n"
    _, forced = world.repair("report.md", markdown_report(world), "--force")
    assert forced.returncode == 0 and world.real_copy in output.read_text()


def test_a_report_that_is_not_what_its_name_says_is_refused(world):
    _, done = world.repair("report.docx", "# not a Word file\n")
    assert done.returncode == 2
    assert "report.docx: not a Word (DOCX) file" in done.stderr
    _, binary = world.repair("report.md", b"%PDF-1.4\n%\xe2\xe3\n")
    assert binary.returncode == 2 and "not Markdown: it is a PDF file" in binary.stderr


def test_an_output_folder_that_cannot_be_written_leaves_nothing_half_written(world):
    folder = world.folder / "read-only"
    folder.mkdir()
    report = world.folder / "report.md"
    report.write_text(markdown_report(world))
    command = [LINKKEEPER, "repair", str(report), "--config", str(world.config), "--output", str(folder / "out.md")]
    done = subprocess.run(on_a_read_only_disk(folder, command), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    said = f"Error: {folder / 'out.md'}: cannot write the repaired report (Read-only file system)"
    assert done.stderr.strip() == said
    assert list(folder.iterdir()) == []


HTML = """<!DOCTYPE html>
<html><head><base href="{base}/"><title>Report</title></head>
<body>
<p>The <a class="ext" href="toolkit" target=_blank>toolkit</a> and the <a href='knowledge-base'>knowledge base</a>
(<a href="{unlisted}">elsewhere</a>).</p>
<p><a href="#">UNPOG Digital Government</a></p>
</body></html>
"""


def test_an_html_report_with_relative_links_gets_robust_links_attributes(world, web):
    content = HTML.format(base=web.a.url, unlisted=world.unlisted).replace("'knowledge-base'", f"'{world.live}'")
    report, done = world.repair("report.html", content)
    assert done.returncode == 0, done.stderr
    after = report.with_name("report.repaired.html").read_text()
    assert (
        f'<a class="ext" href="{world.real_copy}" target=_blank data-originalurl="{world.gone}"'
        f' data-versionurl="{world.real_copy}" data-versiondate="2019-08-01">toolkit</a>'
    ) in after
    assert f'<a href="{world.identified}">UNPOG Digital Government</a>' in after
    assert [old for old, _ in changed_lines(content, after)] == [
        '<p>The <a class="ext" href="toolkit" target=_blank>toolkit</a> and the'
        f" <a href='{world.live}'>knowledge base</a>",
        '<p><a href="#">UNPOG Digital Government</a></p>',
    ]


def test_a_repaired_report_read_again_by_import_finds_the_same_resources(world):
    report, _ = world.repair("report.md", markdown_report(world))
    listed = world.config.read_text()

    def found(path: Path) -> str:
        done = linkkeeper_here("import", str(path), "--config", str(world.config), "--dry-run")
        assert done.returncode == 0, done.stdout
        return done.stdout.splitlines()[0].replace(str(path), "REPORT")

    # the same resources: the lost link, filled in, is now one of them; the unlisted link is new in both
    assert found(report).startswith("Found 5 links in REPORT: 1 new, 4 already listed, 0 not listable; 1 lost;")
    repaired = found(report.with_name("report.repaired.md"))
    assert repaired.startswith("Found 6 links in REPORT: 1 new, 5 already listed, 0 not listable; 0 lost;")
    assert world.config.read_text() == listed


def test_import_remembers_its_report_so_repair_needs_no_argument(world):
    report = world.folder / "report.md"
    report.write_text(markdown_report(world))
    linkkeeper_here("import", str(report), "--config", str(world.config))
    assert yaml.safe_load(world.config.read_text())["source"] == "report.md"
    done = linkkeeper_here("repair", "--config", str(world.config))
    assert done.returncode == 0, done.stderr
    assert world.real_copy in report.with_name("report.repaired.md").read_text()


def test_repair_with_no_argument_and_no_remembered_report_says_what_to_do(world):
    done = linkkeeper_here("repair", "--config", str(world.config))
    assert done.returncode == 2
    assert "no report to repair" in done.stderr and "linkkeeper import REPORT" in done.stderr


def test_the_published_report_is_repaired_where_its_links_died(web, wayback, write_config, tmp_path):
    """The PICISOC report and today's list, each address served by a host of the local web at the same path
    (the report's own text and structure unchanged), with what became of each of its printed links."""
    text = (ROOT / "examples" / "egm-digital-government-2019.txt").read_text()
    listed = yaml.safe_load((ROOT / "resources.yml").read_text())["resources"]
    local = {entry["url"]: _served(web.b, entry["url"]) for entry in listed if entry["url"].startswith("http")}
    for real, here in sorted(local.items(), key=lambda pair: -len(pair[0])):
        text = text.replace(real, here)
    fates = {
        "http://we-gov.org/": {"status": 410},
        "http://unpog.org/page/sub4_2_tab_introduction.asp?tb_Symposium_sn=4": {"status": 404},
        "http://www.unapcict.org/": {"status": 301, "headers": {"Location": _served(web.c, "https://www.unapcict.org/en")}},
    }
    web.c.route("/https/www.unapcict.org/en", **page("APCICT"))
    for real, here in local.items():
        path = here.split("/", 3)[3]
        web.b.route("/" + path, **fates.get(real, page(real)))
    wayback.add_capture(local["http://we-gov.org/"], "20190601000000", body=_html(page("WeGO")))
    parked = _html({"title": "we-gov.org", "body": PARKED})
    wayback.add_capture(local["http://we-gov.org/"], "20230601000000", body=parked)
    entries = [{**entry, "url": local[entry["url"]]} for entry in listed if entry["url"] in local]
    for entry in entries:
        if entry.get("cited_as") not in (None, "#", ""):
            entry["cited_as"] = local.get(entry["cited_as"], entry["cited_as"])
    config = write_config(entries, archive=FAST_ARCHIVE, health=DEAD_AT_ONCE)
    check_here(config)
    check_here(config)
    report = tmp_path / "egm-digital-government-2019.txt"
    report.write_text(text)
    done = linkkeeper_here("repair", str(report), "--config", str(config), "--json")
    assert done.returncode == 0, done.stderr
    after = report.with_name("egm-digital-government-2019.repaired.txt").read_text()
    copy = f"{wayback.base_url}/web/20190601000000/{local['http://we-gov.org/']}"
    assert f"[{local['http://we-gov.org/']}]({copy})" in after
    assert f"Link: <{_served(web.c, 'https://www.unapcict.org/en')}>" in after
    assert f"{local['http://unpog.org/page/sub4_2_tab_introduction.asp?tb_Symposium_sn=4']}\n" in after
    assert f"[[UNPOG Digital Government]({local['http://www.unpog.org/']})]" in after
    diff = list(difflib.unified_diff(text.splitlines(), after.splitlines(), n=0, lineterm=""))
    assert len([line for line in diff if line.startswith("-") and not line.startswith("---")]) == len(
        {change["where"] for change in json.loads(done.stdout)["changes"] if change["new"]}
    )


def _served(host, url: str) -> str:
    """Where a host of the local web serves a real address: at a path holding its scheme and the address."""
    scheme, rest = url.split("://", 1)
    return f"{host.url}/{scheme}/{rest}"


def word_report(world: World) -> bytes:
    document = docx.Document()
    hyperlink(document.sections[0].header.paragraphs[0], world.moved, "Training centre")
    first = document.add_paragraph("The ")
    hyperlink(first, world.gone, "toolkit")
    first.add_run(" and the ")
    hyperlink(first, world.live, "knowledge base")
    footnote(document, first, world.lost, "the programme")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Toolkit"
    hyperlink(table.cell(0, 1).paragraphs[0], world.gone, "the toolkit again")
    hyperlink(document.add_paragraph(), "#", "UNPOG Digital Government")
    hyperlink(document.add_paragraph(), world.unlisted, "elsewhere")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_report_is_repaired_in_its_paragraphs_tables_headers_and_footnotes(world):
    report, done = world.repair("report.docx", word_report(world), "--json")
    assert done.returncode == 0, done.stderr
    repaired = report.with_name("report.repaired.docx").read_bytes()
    tooltip = f"Archived copy of {world.gone} (captured 1 August 2019)"
    assert hyperlinks(repaired) == [
        ("toolkit", world.real_copy, tooltip),
        ("knowledge base", world.live, None),
        ("the toolkit again", world.real_copy, tooltip),
        ("UNPOG Digital Government", world.identified, None),
        ("elsewhere", world.unlisted, None),
    ]
    assert hyperlinks(repaired, "word/header1.xml") == [("Training centre", world.new_home, None)]
    assert hyperlinks(repaired, "word/footnotes.xml") == [("the programme", world.lost, None)]
    changes = {(change["where"], change["kind"]) for change in json.loads(done.stdout)["changes"]}
    assert changes == {
        ("paragraph 1", "archived"), ("table, paragraph 3", "archived"), ("paragraph 4", "filled"),
        ("header", "moved"), ("footnote 1", "lost"),
    }


def test_a_pdf_report_gets_an_errata_sheet(world):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.cell(0, 6, "The digital government toolkit", link=world.gone, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.cell(0, 6, f"Training centre: {world.moved}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "The knowledge base", link=world.live, new_x="LMARGIN", new_y="NEXT")
    report, done = world.repair("report.pdf", bytes(pdf.output()), "--output", str(world.folder / "errata.html"))
    assert done.returncode == 0, done.stderr
    sheet = (world.folder / "errata.html").read_text()
    assert world.real_copy in sheet and world.new_home in sheet and world.live not in sheet
    assert report.read_bytes()[:5] == b"%PDF-"
    assert [line.split(":")[0].strip() for line in done.stdout.splitlines() if line.startswith("  page")] == [
        "page 1", "page 2",
    ]
