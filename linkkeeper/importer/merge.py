"""Merge what an import found into `resources.yml` without undoing what a person wrote.

The file is edited as a round trip (ruamel.yaml): comments, order, quoting and every existing entry
stay as they were, new entries go after the last entry of their section, and nothing is ever deleted:
a listed URL the report no longer prints is only reported. A lost link is written by no one but a
person, as an entry with `cited_as: "#"` (or `""`) whose title names it; such an entry resolves it.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from linkkeeper.config.resources import CHECKED_SCHEMES, write_list
from linkkeeper.importer.found import Extraction, Link, Lost, key
from linkkeeper.importer.lost_links import names
from linkkeeper.urls import url_problem

NEW_LIST = "resources:\n"


@dataclass
class Merge:
    new: list[Link] = field(default_factory=list)
    listed: list[Link] = field(default_factory=list)
    unlistable: list[tuple[Link, str]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    lost: list[tuple[Lost, list[str]]] = field(default_factory=list)  # with the URLs a person gave, if any
    before: str = ""
    after: str = ""

    def diff(self, path: Path) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True), self.after.splitlines(keepends=True), str(path), str(path)
            )
        )


def merge(path: Path, found: Extraction, source: str | None = None, moves: dict[str, str] | None = None) -> Merge:
    """The merge of `found` into the list at `path` (a missing file is an empty list), not yet written. A list
    that is there has been loaded by the caller, so it is valid: cli.py's `import` parses it once.

    `source` is remembered as the list's `source:`, so that `repair` with no argument knows the report.
    `moves` maps a listed link's confirmed new address to the listed URL: a report repaired to cite the new
    address still cites that resource."""
    moves = {key(new): key(listed) for new, listed in (moves or {}).items()}
    before = path.read_text(encoding="utf-8") if path.exists() else NEW_LIST
    yaml = _yaml()
    document = yaml.load(before)
    entries = document.get("resources")
    if entries is None:
        entries = document["resources"] = CommentedSeq()
    result = Merge(before=before)
    known = {key(entry["url"]): entry for entry in entries}
    for link in found.links:
        if moves.get(key(link.url), key(link.url)) in known:
            result.listed.append(link)
        elif problem := url_problem(link.url, CHECKED_SCHEMES):
            result.unlistable.append((link, problem))
        else:
            entry = _entry(link)
            _insert(entries, entry, link.section)
            known[key(link.url)] = entry
            result.new.append(link)
    printed = {moves.get(key(link.url), key(link.url)) for link in found.links}
    result.gone = [
        entry["url"]
        for entry in entries
        if key(entry["url"]) not in printed and entry.get("cited_as", entry["url"]) not in ("#", "")
    ]
    result.lost = [(lost, _given(lost, entries)) for lost in found.lost]
    remembered = bool(entries) and _remember(document, source)  # a list of nothing is not written
    if result.new or remembered:  # with nothing new the file is not even rewritten, so it stays byte for byte
        out = io.StringIO()
        yaml.dump(document, out)
        result.after = out.getvalue()
    else:
        result.after = before
    return result


def _remember(document: CommentedMap, source: str | None) -> bool:
    """Whether the list's `source:` had to be set (just after its title, or first) to name `source`."""
    if not source or document.get("source") == source:
        return False
    if "source" in document:
        document["source"] = source
    else:
        document.insert(list(document).index("title") + 1 if "title" in document else 0, "source", source)
    return True


def remembered_source(source: str, list_path: Path) -> str:
    """How the list names its report: a URL as it is, a file relative to the list's folder when it is inside it."""
    if source.lower().startswith(("http://", "https://")):
        return source
    path = Path(source).absolute()
    try:
        return path.relative_to(list_path.parent).as_posix()
    except ValueError:
        return str(path)


def write(path: Path, result: Merge) -> None:
    """Written only if the merged list is one check-links accepts; otherwise the file stays as it was."""
    write_list(path, result.after, "the merged list")


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _entry(link: Link) -> CommentedMap:
    entry = CommentedMap(url=link.url)
    if link.title:
        entry["title"] = link.title
    if link.kind:
        entry["kind"] = link.kind
    if link.section:
        entry["section"] = link.section
    entry["cited_as"] = link.cited_as
    return entry


def _insert(entries: CommentedSeq, entry: CommentedMap, section: str) -> None:
    """After the last entry of the same section, else at the end. What followed that entry (a blank
    line, the next section's banner comment) moves down to follow the new one; a comment at the end of
    its own last line stays with it."""
    same = [index for index, listed in enumerate(entries) if section and listed.get("section") == section]
    after = same[-1] if same else len(entries) - 1
    entries.insert(after + 1, entry)
    if after < 0:
        return
    previous = entries[after]
    token = _trailing(previous)
    if token is None:
        if after > 0 and (other := _trailing(entries[after - 1])) is not None and "\n\n" in other.value:
            _set_trailing(previous, CommentToken("\n\n", other.start_mark))  # the list's entries stand apart
        return
    own_line, _, below = token.value.partition("\n")
    _set_trailing(previous, CommentToken(f"{own_line}\n\n" if own_line.strip() else "\n\n", token.start_mark))
    _set_trailing(entry, CommentToken(f"\n{below}" if below else "\n", token.start_mark))


def _trailing(entry: CommentedMap) -> CommentToken | None:
    """The comment after an entry's last value: its end-of-line comment and the lines below it."""
    comments = entry.ca.items.get(list(entry)[-1])
    return comments[2] if comments else None


def _set_trailing(entry: CommentedMap, token: CommentToken) -> None:
    comments = entry.ca.items.setdefault(list(entry)[-1], [None, None, None, None])
    comments[2] = token


def _given(lost: Lost, entries: CommentedSeq) -> list[str]:
    """The URLs a person listed for a lost link (two when two are plausible): entries not cited as a
    link whose title has all the link's words."""
    return [
        entry["url"]
        for entry in entries
        if entry.get("cited_as", entry["url"]) in ("#", "") and names(lost.text, str(entry.get("title", "")))
    ]
