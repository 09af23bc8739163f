"""Read `resources.yml` as YAML that cannot attack the reader, remembering the line of every mapping, key and
list item.

The list is edited by hand and may come from anyone, and check-links runs unattended: a file must not be
able to take the box's memory or stack, nor end in a traceback. So the file is read up to a size; aliases
are refused (a few lines of them expand to billions of values, the "billion laughs"), and so is nesting
deeper than any list needs, and keys that are lists or mappings; a value YAML cannot build (`!!int abc`,
a date of month 13) is an error at its line. Every fault is one `InputError` naming `path:line`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from linkkeeper.errors import InputError
from linkkeeper.quote import clip, quote

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 50


class LineMapping(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict[Any, int]

    @classmethod
    def empty(cls, line: int) -> LineMapping:
        mapping = cls()
        mapping.line, mapping.key_lines = line, {}
        return mapping


class LineList(list):
    """A YAML list that remembers the line of each item: a list item that is no mapping has no line of its own."""

    item_lines: list[int]


class _Refused(yaml.MarkedYAMLError):
    def __init__(self, problem: str, mark: yaml.Mark):
        super().__init__(problem=problem, problem_mark=mark)


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (its wheels do): three times faster on a long list, same line marks."""


def _check_shape(text: str) -> None:
    """Refuse aliases and deep nesting from the event stream, before any node is composed.

    libyaml's parser keeps its own stack rather than recursing, so a file nested a million levels deep
    is read here without harm; composing it (in C, recursively) would not be.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise _Refused("aliases (`*name`) are not supported here; write the value out", event.start_mark)
            if isinstance(event, yaml.NodeEvent) and depth >= MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except _Refused:
        raise
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):  # libyaml 0.2.5's own limit, met before ours in a flow
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", error.problem_mark) from None
        raise


class _Loader(_FAST_LOADER):
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as error:
            raise _Refused(f"cannot read this value: {clip(str(error))}", node.start_mark) from None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    mapping = LineMapping.empty(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused("a key must be a plain name, not a list or a mapping", key_node.start_mark)
        key = loader.construct_object(key_node)
        if key in mapping:
            raise _Refused(f"duplicate key {quote(key)}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path) -> Any:
    """The document in the file at `path`, built from plain values and `LineMapping`s."""
    text = _read_text(path)
    try:
        _check_shape(text)
        return yaml.load(text, Loader=_Loader)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise InputError(f"{path}:{line}: control character U+{error.character:04X} is not allowed") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = ", ".join(filter(None, (error.context, error.problem)))
        raise InputError(f"{where}: invalid YAML: {clip(problem, 120)}") from None
    except yaml.YAMLError as error:
        raise InputError(f"{path}: invalid YAML: {clip(str(error), 120)}") from None


def _read_text(path: Path) -> str:
    try:
        # Non-blocking, so that a FIFO given by mistake is refused instead of waiting for a writer forever.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            mode = os.fstat(descriptor).st_mode
            if stat.S_ISREG(mode):
                with open(descriptor, "rb", closefd=False) as file:
                    data = file.read(MAX_BYTES + 1)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such file. To start a list: `linkkeeper init` (an example to edit) or"
            " `linkkeeper init --from REPORT` (a report's links); or give the list with --config"
        ) from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        what = "is a directory, not a file" if stat.S_ISDIR(mode) else "not a regular file"
        raise InputError(f"{path}: {what} (give the list with --config)")
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES // 1024 // 1024} MiB, too large for a list of links")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8") from None


# A key of the document's top-level mapping, in block style: at the start of a line, quoted or not.
TOP_LEVEL_KEY = re.compile(r"""^(["']?)([A-Za-z_][\w-]*)\1[ \t]*:""", re.MULTILINE)


def settings_block(path: Path) -> dict[str, Any] | None:
    """The list's `settings:` read alone, without its resources (a list of 10,000 links takes seconds to read
    whole): empty for a list in block style with `resources:` and no `settings:`; None when that cannot be
    done safely: no block style, several `settings:` keys, or a block that does not read as a mapping. The
    caller then reads the whole list, which reports what is wrong."""
    text = _read_text(path)
    keys = list(TOP_LEVEL_KEY.finditer(text))
    named = [key.group(2) for key in keys]
    if text.lstrip().startswith(("{", "[")) or named.count("settings") > 1:
        return None
    if "settings" not in named:
        return {} if "resources" in named else None
    at = named.index("settings")
    end = keys[at + 1].start() if at + 1 < len(keys) else len(text)
    try:
        document = yaml.load(text[keys[at].start() : end], Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return None
    settings = document.get("settings", {}) if isinstance(document, dict) else None
    if settings is None:  # `settings:` with nothing (or only comments) under it
        return {}
    return settings if isinstance(settings, dict) else None
