"""Word (DOCX) reports repaired in place: a hyperlink's relationship leads to the archived copy or the new
address, an archived copy's hyperlink gets a tooltip naming the original address, a lost link a person
identified gets a relationship; the words of the document stay as they were.

Saving through python-docx or lxml would rewrite every part it loaded (namespace declarations, attribute
order, the XML declaration) and recompress the package, and a person comparing the two files, or Word's
own comparison, would see noise everywhere. So the package is only *read* with python-docx (which parts,
through which relationships) and lxml (which element is which, and where), and each change is a splice
into the part's own text: one start tag or one relationship. Every other zip member is copied with its
own ZipInfo.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from copy import copy
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import nsmap
from lxml import etree

from linkkeeper.errors import InputError
from linkkeeper.importer.docx import read_docx
from linkkeeper.importer.found import resource_url
from linkkeeper.repair.changes import ARCHIVED, FILLED, Change, Fix, Repaired
from linkkeeper.repair.plan import LOST_CITATIONS, Plan, day

W, R = nsmap["w"], nsmap["r"]
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NOTES_AND_MARGINS = {RT.FOOTNOTES: "footnote", RT.ENDNOTES: "endnote", RT.HEADER: "header", RT.FOOTER: "footer"}
"""The parts besides the body that hold hyperlinks, and what a change in them says where it is."""
_ORDER = ("footnote", "endnote", "header", "footer")
"""The order their changes are listed in, after the body's."""
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# Comments, CDATA, processing instructions, declarations and end tags are passed over; what is left is one
# start (or empty-element) tag per element, in the order lxml iterates the elements.
_MARKUP = re.compile(
    r"""<!--.*?-->|<!\[CDATA\[.*?]]>|<\?.*?\?>|<[!/][^>]*>|(?P<start><[^\s/>]+(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.S
)
_ATTRIBUTE = re.compile(r"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_TAG_END = re.compile(r"\s*/?>$")


def repair_docx(data: bytes, where: str, plan: Plan) -> Repaired:
    """The report with its hyperlinks repaired in place, every byte a change does not need kept, and the
    change log in reading order: the body, then the notes, headers and footers."""
    main = read_docx(data, where).part
    others = {  # a header that several sections use is one part
        rel.target_part.partname: (_NOTES_AND_MARGINS[rel.reltype], rel.target_part) for rel in main.rels.values()
        if not rel.is_external and rel.reltype in _NOTES_AND_MARGINS
    }
    edited: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = _Part(package, main, where)
        parts = [(body, _in_body(body.xml.root))] + [
            (_Part(package, part, where), _in_part(label, body.xml.root))
            for label, part in sorted(others.values(), key=lambda other: (_ORDER.index(other[0]), other[1].partname))
        ]
        bookmarks = {
            mark.get(f"{{{W}}}name") for part, _ in parts for mark in part.xml.root.iter(f"{{{W}}}bookmarkStart")
        }
        changes = [change for part, locate in parts for change in part.repair(plan, bookmarks, locate, edited)]
        return Repaired(_rezipped(package, edited) if edited else data, changes)


class _Xml:
    """A part's text and each element's start tag in it, so that an element is changed by rewriting its
    own start tag and nothing else."""

    def __init__(self, data: bytes, where: str, name: str) -> None:
        try:
            self.root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as error:
            raise InputError(f"{where}: not a readable Word (DOCX) file ({name}: {error})") from None
        self.encoding = self.root.getroottree().docinfo.encoding or "UTF-8"
        self.text = data.decode(self.encoding)
        starts = (match for match in _MARKUP.finditer(self.text) if match["start"])
        self.spans = {element: match.span() for element, match in zip(self.root.iter(etree.Element), starts,
                                                                          strict=True)}
        self.tags: dict[etree._Element, str] = {}  # element: its start tag as it becomes
        self.appended = ""  # new children of the root

    def tag(self, element: etree._Element) -> str:
        start, end = self.spans[element]
        return self.tags.get(element, self.text[start:end])

    def set(self, element: etree._Element, namespace: str | None, name: str, value: str) -> None:
        """`name` set to `value` on the element, in the spelling its namespace has there (declared on
        the element if no prefix is bound to it)."""
        tag = self.tag(element)
        spellings, written = _spellings(element, namespace, name)
        quoted = _quoted(value)
        for attribute in _ATTRIBUTE.finditer(tag):
            if attribute[1] in spellings:
                self.tags[element] = tag[: attribute.start(2)] + quoted + tag[attribute.end(2) :]
                return
        end = _TAG_END.search(tag).start()
        self.tags[element] = f"{tag[:end]} {written}={quoted}{tag[end:]}"

    def remove(self, element: etree._Element, namespace: str, name: str) -> None:
        tag = self.tag(element)
        spellings, _ = _spellings(element, namespace, name)
        for attribute in _ATTRIBUTE.finditer(tag):
            if attribute[1] in spellings:
                self.tags[element] = tag[: attribute.start()] + tag[attribute.end() :]
                return

    def data(self) -> bytes:
        text = self.text
        edits = dict(self.tags)
        if self.appended:
            tag = self.tag(self.root)
            if tag.endswith("/>"):
                name = re.match(r"<([^\s/>]+)", tag)[1]
                edits[self.root] = f"{tag[:-2].rstrip()}>{self.appended}</{name}>"
            else:
                end = text.rindex("</")
                text = text[:end] + self.appended + text[end:]
        for element, tag in sorted(edits.items(), key=lambda edit: self.spans[edit[0]], reverse=True):
            start, end = self.spans[element]
            text = text[:start] + tag + text[end:]
        return text.encode(self.encoding)


def _quoted(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}) + '"'


def _spellings(element: etree._Element, namespace: str | None, name: str) -> tuple[set[str], str]:
    """The names an attribute may have in this element, and the one to write: `w:tooltip` wherever `w`
    is bound to WordprocessingML, whatever other prefix is bound too."""
    if namespace is None:
        return {name}, name
    prefixes = sorted(prefix for prefix, uri in element.nsmap.items() if prefix and uri == namespace)
    spellings = {f"{prefix}:{name}" for prefix in prefixes}
    usual = "w" if namespace == W else "r"
    if not prefixes:  # a prefix of our own, declared on the element, that no other namespace uses there
        prefix = next(candidate for candidate in (usual, f"lk{usual}", f"linkkeeper{usual}")
                      if candidate not in element.nsmap)
        return spellings, f'xmlns:{prefix}="{namespace}" {prefix}:{name}'
    return spellings, f"{usual}:{name}" if usual in prefixes else f"{prefixes[0]}:{name}"


class _Part:
    """One part that holds hyperlinks (the body, the footnotes, a header...) and its relationships."""

    def __init__(self, package: zipfile.ZipFile, part: Part, where: str) -> None:
        self.name = part.partname.membername
        self.rels_name = part.partname.rels_uri.membername
        self.xml = _Xml(package.read(self.name), where, self.name)
        present = self.rels_name in package.namelist()
        rels = package.read(self.rels_name) if present else (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="%s"></Relationships>' % PACKAGE_RELATIONSHIPS.encode()
        )
        self.rels = _Xml(rels, where, self.rels_name)
        self.relationships = {rel.get("Id"): rel for rel in self.rels.root if isinstance(rel.tag, str)}
        self.ids = set(self.relationships)

    def repair(
        self, plan: Plan, bookmarks: set[str], locate: Callable[[etree._Element], str], edited: dict[str, bytes]
    ) -> list[Change]:
        """Each hyperlink the plan fixes, changed, and every hyperlink it names, listed (a lost one too)."""
        changes: list[Change] = []
        wanted: dict[etree._Element, tuple[str, Fix]] = {}  # hyperlink: its old address, its fix
        for link in self.xml.root.iter(f"{{{W}}}hyperlink"):
            cited = self._cited(link, bookmarks)
            if cited is None:
                continue
            old, lost = cited
            fix = plan.for_lost("".join(link.itertext(f"{{{W}}}t"))) if lost else plan.for_url(resource_url(old))
            if fix is None:
                continue
            changes.append(Change(locate(link), old, fix))
            if fix.target is not None:
                wanted[link] = (old, fix)
        if wanted:
            self._lead(wanted)
            edited[self.name] = self.xml.data()
            edited[self.rels_name] = self.rels.data()
        return changes

    def _cited(self, link: etree._Element, bookmarks: set[str]) -> tuple[str, bool] | None:
        """The address a hyperlink cites and whether it is lost (`#`, empty, or a bookmark the document
        does not have); None for a link to a place in the document, or to another part of the package."""
        rid, anchor = link.get(f"{{{R}}}id"), link.get(f"{{{W}}}anchor")
        if rid is None:
            if anchor and anchor in bookmarks:
                return None
            return f"#{anchor}" if anchor else "", True
        rel = self.relationships.get(rid)
        if rel is None or rel.get("TargetMode") != "External":
            return None
        target = rel.get("Target") or ""
        if target in LOST_CITATIONS:
            return target, True
        return target + (f"#{anchor}" if anchor else ""), False

    def _lead(self, wanted: dict[etree._Element, tuple[str, Fix]]) -> None:
        """Each hyperlink to its fix's target: its relationship's Target changes where every element
        that uses the relationship goes to that target, and a new relationship is added where not."""
        users: dict[str, list[etree._Element]] = defaultdict(list)
        for element in self.xml.root.iter(etree.Element):
            for name, value in element.attrib.items():
                if name.startswith(f"{{{R}}}"):
                    users[value].append(element)
        added: dict[str, str] = {}  # target: the relationship added for it
        for link, (old, fix) in wanted.items():
            rid = link.get(f"{{{R}}}id")
            if rid and {wanted[user][1].target if user in wanted else None for user in users[rid]} == {fix.target}:
                self.rels.set(self.relationships[rid], None, "Target", fix.target)
            else:
                if fix.target not in added:
                    added[fix.target] = self._relationship(fix.target)
                self.xml.set(link, R, "id", added[fix.target])
            if rid is None:
                self.xml.remove(link, W, "anchor")  # a lost link's: it named no bookmark
            if fix.kind == ARCHIVED or fix.captured_at:  # the original address stays in sight, on hover
                original = fix.original if fix.kind == FILLED else old
                when = f" (captured {day(fix.captured_at)})" if fix.captured_at else ""
                self.xml.set(link, W, "tooltip", f"Archived copy of {original}{when}")

    def _relationship(self, target: str) -> str:
        """A new external hyperlink relationship, with the first `rIdN` the part does not use."""
        rid = next(f"rId{number}" for number in itertools.count(len(self.ids) + 1) if f"rId{number}" not in self.ids)
        self.ids.add(rid)
        name = f"{self.rels.root.prefix}:Relationship" if self.rels.root.prefix else "Relationship"
        self.rels.appended += (
            f'<{name} Id="{rid}" Type="{RT.HYPERLINK}" Target={_quoted(target)} TargetMode="External"/>'
        )
        return rid


def _in_body(root: etree._Element) -> Callable[[etree._Element], str]:
    """"paragraph N": body paragraphs counted in document order, those of table cells included (a text
    box's paragraphs are part of the paragraph that holds it)."""
    paragraph = f"{{{W}}}p"
    outermost = (p for p in root.iter(paragraph) if next(p.iterancestors(paragraph), None) is None)
    numbers = {p: number for number, p in enumerate(outermost, 1)}

    def locate(link: etree._Element) -> str:
        outer = ([None, *link.iterancestors(paragraph)])[-1]
        if outer not in numbers:
            return "body"
        in_table = next(outer.iterancestors(f"{{{W}}}tbl"), None) is not None
        return f"table, paragraph {numbers[outer]}" if in_table else f"paragraph {numbers[outer]}"

    return locate


def _in_part(label: str, body: etree._Element) -> Callable[[etree._Element], str]:
    """"header", or "footnote N" with the number a reader sees: notes are numbered in the order the text
    refers to them, which is not always their id (Word 2007 gives the first one id 2)."""
    if label not in ("footnote", "endnote"):
        return lambda _link: label
    numbers: dict[str, int] = {}
    for reference in body.iter(f"{{{W}}}{label}Reference"):
        numbers.setdefault(reference.get(f"{{{W}}}id"), len(numbers) + 1)

    def locate(link: etree._Element) -> str:
        note = next(link.iterancestors(f"{{{W}}}{label}"), None)
        number = note.get(f"{{{W}}}id") if note is not None else None
        return f"{label} {numbers.get(number, number)}" if number else label

    return locate


def _rezipped(package: zipfile.ZipFile, edited: dict[str, bytes]) -> bytes:
    """The package again, each member with its own ZipInfo (name, order, date, compression), an edited one
    with its new bytes; a relationships part the package did not have goes last."""
    out = io.BytesIO()
    pending = dict(edited)
    with zipfile.ZipFile(out, "w") as repaired:
        repaired.comment = package.comment
        for info in package.infolist():
            data = pending.pop(info.filename) if info.filename in pending else package.read(info)
            repaired.writestr(copy(info), data)
        for name, added in pending.items():
            info = zipfile.ZipInfo(name, date_time=package.infolist()[0].date_time)
            repaired.writestr(info, added, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
