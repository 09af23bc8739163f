"""`repair_docx` on Word files written by the tests: hyperlinks in body paragraphs, a table, a header and a
footnote (written as Word writes one: its own part, relationships and content type), repaired against a
plan made by hand; what changes, what stays byte for byte, and the files it must refuse."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from word_files import footnote, hyperlink, hyperlinks

from linkkeeper.errors import InputError
from linkkeeper.importer.docx import extract_docx
from linkkeeper.importer.found import key
from linkkeeper.repair.changes import ARCHIVED, FILLED, LOST, MOVED, Fix
from linkkeeper.repair.docx import repair_docx
from linkkeeper.repair.plan import Plan

OLD, COPY = "http://old.example/page", "https://web.archive.org/web/20190801120000/http://old.example/page"
MOVED_FROM, MOVED_TO = "https://moved.example/a", "https://new.example/a"
GONE, LIVE, UNLISTED = "https://gone.example/report", "https://live.example/", "https://unlisted.example/"
TABLE_OLD, TABLE_COPY = "http://table.example/dead", "https://web.archive.org/web/20200102000000/http://table.example/dead"
HEADER_OLD, HEADER_NEW = "http://header.example/", "https://header.example.org/"
NOTE_OLD, NOTE_COPY = "http://note.example/source", "https://web.archive.org/web/20180305000000/http://note.example/source"
DATA = "https://data.example.org/"


def archived(old: str, copy: str, captured_at: str) -> Fix:
    return Fix(ARCHIVED, old, copy, "the page is gone (404); archived copy", captured_at)


PLAN = Plan(
    fixes={
        key(OLD): archived(OLD, COPY, "2019-08-01T12:00:00+00:00"),
        key(MOVED_FROM): Fix(MOVED, MOVED_FROM, MOVED_TO, f"the page moved permanently to {MOVED_TO}"),
        key(GONE): Fix(LOST, GONE, None, "the page is gone (404); no archived copy found: left for a person"),
        key(TABLE_OLD): archived(TABLE_OLD, TABLE_COPY, "2020-01-02T00:00:00+00:00"),
        key(HEADER_OLD): Fix(MOVED, HEADER_OLD, HEADER_NEW, f"the page moved permanently to {HEADER_NEW}"),
        key(NOTE_OLD): archived(NOTE_OLD, NOTE_COPY, "2018-03-05T00:00:00+00:00"),
    },
    identified=[("Open data portal", DATA, None), ("Training centre handbook", "https://centre.example.org/", None)],
)
def report() -> bytes:
    document = docx.Document()
    hyperlink(document.sections[0].header.paragraphs[0], HEADER_OLD, "Programme site")
    document.add_heading("Sources", level=1)  # paragraph 1
    first = document.add_paragraph("Read ")  # paragraph 2
    hyperlink(first, OLD, "the old page")
    first.add_run(", then ")
    hyperlink(first, MOVED_FROM, "the moved page")
    footnote(document, first, NOTE_OLD, "the survey")
    second = document.add_paragraph("Also ")  # paragraph 3
    for url, text in ((GONE, "the lost report"), (LIVE, "a live page"), (UNLISTED, "an unlisted page"), (OLD, "again")):
        hyperlink(second, url, text)
    third = document.add_paragraph()  # paragraph 4: two lost links share the relationship of "#"
    hyperlink(third, "#", "Open data portal")
    hyperlink(third, "#", "Cloud services deck")
    fourth = document.add_paragraph()  # paragraph 5: links to bookmarks, one the document lost
    hyperlink(fourth, None, "training centre", anchor="centre")
    hyperlink(fourth, None, "the annex", anchor="annex")
    mark = OxmlElement("w:bookmarkStart")
    mark.set(qn("w:id"), "0")
    mark.set(qn("w:name"), "annex")
    fourth._p.append(mark)
    table = document.add_table(rows=1, cols=2)  # paragraphs 6 and 7
    table.cell(0, 0).text = "Dataset"
    hyperlink(table.cell(0, 1).paragraphs[0], TABLE_OLD, "the table's source")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def original() -> bytes:
    return report()


@pytest.fixture(scope="module")
def repaired(original):
    return repair_docx(original, "report.docx", PLAN)


def test_a_dead_link_with_a_copy_leads_to_the_copy_with_a_tooltip_naming_the_original(repaired):
    tooltip = "Archived copy of http://old.example/page (captured 1 August 2019)"
    links = hyperlinks(repaired.data)
    assert ("the old page", COPY, tooltip) in links
    assert ("again", COPY, tooltip) in links  # the second citation shared the relationship: same fix


def test_a_moved_link_gets_its_new_address(repaired):
    assert ("the moved page", MOVED_TO, None) in hyperlinks(repaired.data)


def test_a_lost_link_is_left_as_it_is_and_listed(repaired):
    assert ("the lost report", GONE, None) in hyperlinks(repaired.data)
    lost = [change for change in repaired.changes if change.fix.kind == LOST]
    assert [(change.where, change.old, change.new) for change in lost] == [("paragraph 3", GONE, None)]


def test_an_unlisted_link_and_a_live_link_are_untouched(repaired):
    links = hyperlinks(repaired.data)
    assert ("a live page", LIVE, None) in links and ("an unlisted page", UNLISTED, None) in links
    assert not {LIVE, UNLISTED} & {change.old for change in repaired.changes}


def test_each_change_says_where_it_is_and_what_it_was(repaired):
    assert [(change.where, change.old, change.new, change.fix.kind) for change in repaired.changes] == [
        ("paragraph 2", OLD, COPY, ARCHIVED),
        ("paragraph 2", MOVED_FROM, MOVED_TO, MOVED),
        ("paragraph 3", GONE, None, LOST),
        ("paragraph 3", OLD, COPY, ARCHIVED),
        ("paragraph 4", "#", DATA, FILLED),
        ("paragraph 5", "#centre", "https://centre.example.org/", FILLED),
        ("table, paragraph 7", TABLE_OLD, TABLE_COPY, ARCHIVED),
        ("footnote 1", NOTE_OLD, NOTE_COPY, ARCHIVED),
        ("header", HEADER_OLD, HEADER_NEW, MOVED),
    ]


def test_untouched_members_are_byte_identical_and_only_hyperlink_tags_and_relationships_differ(original, repaired):
    with zipfile.ZipFile(io.BytesIO(original)) as before, zipfile.ZipFile(io.BytesIO(repaired.data)) as after:
        assert [
            (info.filename, info.compress_type, info.date_time, info.external_attr) for info in before.infolist()
        ] == [(info.filename, info.compress_type, info.date_time, info.external_attr) for info in after.infolist()]
        differing = {name for name in before.namelist() if before.read(name) != after.read(name)}
        # The header's link moved: its relationship changed, and nothing in the header itself.
        assert differing == {
            "word/document.xml", "word/_rels/document.xml.rels", "word/footnotes.xml", "word/_rels/footnotes.xml.rels",
            "word/_rels/header1.xml.rels",
        }
        for part in ("word/document.xml", "word/footnotes.xml"):
            # Only the hyperlinks' own start tags changed: the runs, the words, every other tag are as they were.
            without_links = [re.sub(rb"<w:hyperlink\b[^>]*>", b"", archive.read(part)) for archive in (before, after)]
            assert without_links[0] == without_links[1]


def test_a_relationship_is_edited_in_place_and_one_shared_with_an_untouched_link_is_added_to(original, repaired):
    with zipfile.ZipFile(io.BytesIO(original)) as before, zipfile.ZipFile(io.BytesIO(repaired.data)) as after:
        old, new = (archive.read("word/_rels/document.xml.rels").decode() for archive in (before, after))
    added = re.findall(r"<Relationship [^>]*/>", new)[len(re.findall(r"<Relationship [^>]*/>", old)) :]
    assert len(added) == 2  # the two filled links: the "#" one shares its relationship with an unfilled one
    assert all('TargetMode="External"' in rel for rel in added)
    expected = old
    for cited, replacement in ((OLD, COPY), (MOVED_FROM, MOVED_TO), (TABLE_OLD, TABLE_COPY)):
        expected = expected.replace(f'Target="{cited}"', f'Target="{replacement}"')
    assert new == expected.replace("</Relationships>", "".join(added) + "</Relationships>")


def test_the_repaired_file_read_again_by_import_finds_the_same_resources_at_their_new_targets(original, repaired):
    cited = {link.url: link.cited_as for link in extract_docx(repaired.data, "report.docx").links}
    listed = {link.url for link in extract_docx(original, "report.docx").links}
    # An archived copy stands for the page it is a copy of; a moved page is cited at its new address.
    assert set(cited) == listed - {MOVED_FROM} | {MOVED_TO, DATA, "https://centre.example.org/"}
    assert (cited[OLD], cited[TABLE_OLD], cited[MOVED_TO]) == (COPY, TABLE_COPY, MOVED_TO)


def test_footnote_and_header_hyperlinks_are_repaired(repaired):
    tooltip = "Archived copy of http://note.example/source (captured 5 March 2018)"
    assert hyperlinks(repaired.data, "word/footnotes.xml") == [("the survey", NOTE_COPY, tooltip)]
    assert hyperlinks(repaired.data, "word/header1.xml") == [("Programme site", HEADER_NEW, None)]


def test_a_hash_link_a_person_identified_is_filled_in_and_the_other_left(repaired):
    links = hyperlinks(repaired.data)
    assert ("Open data portal", DATA, None) in links
    assert ("Cloud services deck", "#", None) in links  # nobody identified it: its relationship is kept for it


def test_a_link_to_a_lost_bookmark_is_filled_in_and_one_to_a_bookmark_kept(repaired):
    links = hyperlinks(repaired.data)
    assert ("training centre", "https://centre.example.org/", None) in links  # its anchor went with the fill
    assert ("the annex", "#annex", None) in links


def test_a_document_with_nothing_to_repair_comes_back_as_it_was(original):
    done = repair_docx(original, "report.docx", Plan())
    assert (done.data, done.changes) == (original, [])


def test_not_a_docx_is_one_line_of_bad_input():
    with pytest.raises(InputError) as error:
        repair_docx(b"plain words", "report.docx", PLAN)
    assert str(error.value) == "report.docx: not a readable Word (DOCX) file (File is not a zip file)"
