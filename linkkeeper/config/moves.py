"""Follow links that moved for good in `resources.yml` (`linkkeeper apply-moves`), touching nothing else of it.

A person wrote the list: its comments, order, quoting, indentation and line endings are theirs. ruamel.yaml's
round trip re-renders what it dumps (indentation, long lines, spacing), so it is used here only to find where
each `url:` value is (its line and column); the file's text is then edited at exactly those places: the value
replaced in the quoting it had, and, when the entry has no `cited_as`, a `cited_as:` line with the old address
after it (the report still prints that address). Every other byte stays as it was, and the edited text is read
back to prove it means the list with those values changed and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from linkkeeper.config.resources import Resource
from linkkeeper.errors import InputError
from linkkeeper.urls import normalize

DOUBLE = '"'
"""The quoting of a `cited_as` added after a plain `url`, as the list's documentation writes it."""


@dataclass(frozen=True)
class Followed:
    """One move written into the list: the listed address, the new one, the line (1-based) of its `url:`."""

    old: str
    new: str
    line: int
    cited_as_added: bool


def to_follow(resources: Iterable[Resource], confirmed: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Of the `confirmed` moves (old URL -> new), those of listed links, and a line for each one left to a person:
    its new address is listed too (the list would hold it twice)."""
    listed = {normalize(resource.url): resource for resource in resources}
    moves, refused = {}, []
    for old, new in confirmed.items():
        if normalize(old) not in listed or old == new:
            continue
        if normalize(new) in listed:
            line = listed[normalize(new)].line
            refused.append(f"{old}: not followed: {new} is listed too (line {line}); remove one of them by hand")
        else:
            moves[old] = new
    return moves, refused


def follow_moves(name: str, text: str, moves: Mapping[str, str]) -> tuple[str, list[Followed]]:
    """`text` (the list named `name`, for errors) with each listed URL in `moves` changed to its new address."""
    document = YAML(typ="rt").load(text)
    lines = text.split("\n")  # lines as YAML counts them (the CR of a CRLF stays at each line's end)
    entries = [
        entry for entry in document["resources"]
        if isinstance(entry, CommentedMap) and entry.get("url") in moves
    ]
    followed = [_follow(name, lines, entry, moves[entry["url"]]) for entry in reversed(entries)]  # lines below shift
    edited = "\n".join(lines)
    _check(name, text, edited, moves)
    return edited, followed[::-1]


def _follow(name: str, lines: list[str], entry: CommentedMap, new: str) -> Followed:
    """Edit `lines` in place for one entry (its edits touch its `url:` line only, and add one after it)."""
    old = entry["url"]
    row, column = entry.lc.value("url")
    line = lines[row]
    end = _value_end(line, column, entry.fa.flow_style())
    if end is None or _scalar(line[column:end]) != old:
        raise InputError(f"{name}:{row + 1}: the url {old!r} is not written on one line; follow its move by hand")
    style = line[column] if line[column] in "'\"" else ""
    add_cited_as = "cited_as" not in entry
    rest = line[end:]
    if add_cited_as and entry.fa.flow_style():  # `- {url: ..., title: ...}`: the field goes in the same braces
        rest = f", cited_as: {_written(old, style)}{rest}"
    lines[row] = line[:column] + _written(new, style) + rest
    if add_cited_as and not entry.fa.flow_style():
        indent = " " * entry.lc.key("url")[1]
        carriage = "\r" if line.endswith("\r") else ""
        lines.insert(row + 1, f"{indent}cited_as: {_written(old, style or DOUBLE)}{carriage}")
    return Followed(old, new, row + 1, add_cited_as)


def _value_end(line: str, start: int, flow: bool) -> int | None:
    """Where the scalar starting at `start` ends on its line; None when it goes on past the line (a quote left
    open). A plain one ends at a comment, and in a flow mapping (`{...}`) at the next `,` or `}` too."""
    quote = line[start]
    if quote == '"':
        index = start + 1
        while index < len(line):
            if line[index] == "\\":
                index += 2
                continue
            if line[index] == '"':
                return index + 1
            index += 1
        return None
    if quote == "'":
        index = start + 1
        while index < len(line):
            if line[index] == "'":
                if line[index + 1 : index + 2] == "'":
                    index += 2
                    continue
                return index + 1
            index += 1
        return None
    body = line.rstrip("\r")
    for stop in (" #", "\t#", *((",", "}") if flow else ())):
        at = body.find(stop, start)
        if at >= 0:
            body = body[:at]
    return start + len(body[start:].rstrip())


def _scalar(written: str) -> object:
    """What YAML reads a value written this way as."""
    try:
        return yaml.safe_load(f"value: {written}")["value"]
    except yaml.YAMLError:
        return None


def _written(url: str, style: str) -> str:
    """`url` as a YAML value in the quoting `style` ('' plain, "'" or '"'); plain only where YAML reads it back
    as the same text, else double-quoted."""
    if style == "'":
        return "'" + url.replace("'", "''") + "'"
    if style == "" and _scalar(url) == url:
        return url
    return '"' + url.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(name: str, before: str, after: str, moves: Mapping[str, str]) -> None:
    """The edited text must mean the list with the moved URLs changed and `cited_as` kept, nothing else."""
    wanted = yaml.safe_load(before)
    for entry in wanted["resources"]:
        if isinstance(entry, dict) and entry.get("url") in moves:
            entry.setdefault("cited_as", entry["url"])
            entry["url"] = moves[entry["url"]]
    if yaml.safe_load(after) != wanted:  # a mapping's order aside: a flow mapping's `cited_as` goes after `url`
        raise InputError(f"{name}: following the moves would change more than their addresses; nothing written")

