"""Load and validate `resources.yml`.

Every error names the file and line at fault, so a volunteer editing the list by hand can fix it
without reading a traceback; nothing is checked or stored until the whole file is valid.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from linkkeeper.config.settings import NOTIFY_CHANGES, SETTINGS, Setting, Settings, parse_nameserver, zone
from linkkeeper.config.targets import target
from linkkeeper.config.yaml_input import LineList, LineMapping, read_yaml
from linkkeeper.errors import InputError
from linkkeeper.files import write_atomically
from linkkeeper.quote import quote
from linkkeeper.urls import normalize, url_problem

KINDS = ("toolkit", "programme", "organisation", "knowledge-base", "report", "contact")
TEXT_FIELDS = ("url", "title", "kind", "section", "cited_as", "note")
DECISIONS = ("ignore", "expect", "snooze")
"""A person's decisions about one link, each kept with a `note` saying why (linkkeeper/health/decisions.py)."""
RESOURCE_FIELDS = (*TEXT_FIELDS, *DECISIONS)
FREE_TEXT_FIELDS = ("title", "section", "cited_as", "note")
EXPECTED = ("unknown",)
"""What `expect:` may say: `unknown`, a wall a person has looked at (the link is still checked)."""
WEB_SCHEMES = ("http", "https")
CHECKED_SCHEMES = (*WEB_SCHEMES, "mailto")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Resource:
    url: str
    title: str
    kind: str
    section: str
    cited_as: str
    note: str
    position: int
    line: int
    ignored: bool = False  # `ignore: true`: listed, never checked, never reported as failing
    expect: str | None = None  # `expect: unknown`: a wall a person has looked at is no problem while it stays a wall
    snooze_until: str | None = None  # `snooze: DATE` (YYYY-MM-DD): failures not reported before that day


@dataclass(frozen=True)
class Config:
    path: Path
    settings: Settings
    resources: tuple[Resource, ...]
    title: str = "Resources"
    source: str | None = None  # the report the list was imported from: a file (relative to the list) or a URL


def load_config(path: Path) -> Config:
    """Read and validate the file; raise `InputError` naming `path:line` for the first fault."""
    return _Validator(path).config(read_yaml(path))


def write_list(path: Path, text: str, what: str) -> None:
    """Write `text` as the list at `path` only if check-links accepts it (read from a file beside it first, so that
    paths relative to the list mean the same); otherwise the file stays as it was and the fault is said."""
    partial = path.with_name(path.name + ".check")
    try:
        partial.write_text(text, encoding="utf-8")
        try:
            load_config(partial)
        except InputError as error:
            raise InputError(f"{path}: {what} would not be valid, nothing written ({error})") from None
    finally:
        partial.unlink(missing_ok=True)
    write_atomically(path, text)


class _Validator:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, line: int | None, message: str) -> InputError:
        where = f"{self.path}:{line}" if line else str(self.path)
        return InputError(f"{where}: {message}")

    def config(self, document: Any) -> Config:
        if document is None:
            raise self.fail(None, "the file is empty: expected `resources:` (and optional `settings:`)")
        if not isinstance(document, LineMapping):
            raise self.fail(1, f"expected a mapping with `settings:` and `resources:`, not {quote(document)}")
        self.unknown_keys(document, ("title", "source", "settings", "resources"), "top-level key")
        title = self.top_text(document, "title") or "Resources"
        source = self.top_text(document, "source") or None
        settings_block = document.get("settings") or LineMapping.empty(document.line)
        if not isinstance(settings_block, LineMapping):
            raise self.fail(document.key_lines["settings"], "`settings:` must be a mapping")
        settings = Settings.from_flat(self.settings(settings_block, prefix=""))
        resources = document.get("resources")
        if not isinstance(resources, list) or not resources:
            raise self.fail(
                document.key_lines.get("resources"), "`resources:` must be a non-empty list"
            )
        return Config(self.path, settings, self.resources(resources), title, source)

    def top_text(self, document: LineMapping, name: str) -> str:
        value = document.get(name) or ""
        if not isinstance(value, str):
            raise self.fail(document.key_lines[name], f"`{name}:` must be a string")
        self.text(value, document.key_lines.get(name), f"`{name}:`")
        return value

    def unknown_keys(self, mapping: LineMapping, known: tuple[str, ...], what: str) -> None:
        for key in mapping:
            if key not in known:
                guess = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean '{guess[0]}'?)" if guess else ""
                raise self.fail(mapping.key_lines[key], f"unknown {what} {quote(key)}{hint}")

    def text(self, value: str, line: int | None, what: str) -> None:
        """Free text reaches terminals and reports: no control character but tab and newline."""
        control = _CONTROL.search(value)
        if control:
            code = ord(control.group())
            raise self.fail(line, f"{what} holds the control character U+{code:04X}; remove it")

    def settings(self, block: LineMapping, prefix: str) -> dict[str, Any]:
        names = {name[len(prefix):].split(".")[0] for name in SETTINGS if name.startswith(prefix)}
        self.unknown_keys(block, tuple(sorted(names)), "setting")
        values: dict[str, Any] = {}
        for key, value in block.items():
            name, line = prefix + key, block.key_lines[key]
            if name not in SETTINGS:
                if not isinstance(value, LineMapping):
                    raise self.fail(line, f"setting '{name}' must be a mapping")
                values.update(self.settings(value, prefix=name + "."))
                continue
            values[name] = self.setting_value(name, value, line)
        return values

    def setting_value(self, name: str, value: Any, line: int) -> Any:
        spec = SETTINGS[name]
        if spec.kind in (int, float):
            return self.number(name, spec, value, line)
        if not isinstance(value, spec.kind):
            raise self.fail(line, f"setting '{name}' must be {spec.kind.__name__}, got {quote(value)}")
        if spec.kind is str:
            self.text(value, line, f"setting '{name}'")
        if name == "archive.wayback_url":
            self.check_url(value, line, WEB_SCHEMES, f"setting '{name}': ")
        if name == "timezone":
            try:
                zone(value)
            except ValueError as unknown:
                raise self.fail(line, f"setting '{name}': {unknown}") from None
        if spec.kind is list:
            if not all(isinstance(item, str) for item in value):
                raise self.fail(line, f"setting '{name}' must be a list of strings")
            if name == "canaries":
                for number, url in enumerate(value, 1):
                    self.check_url(url, line, WEB_SCHEMES, f"canary #{number}: ")
            if name in ("notify", "notify_on"):
                self.notification_setting(name, value, line)
            if name == "nameservers":
                for server in value:
                    try:
                        parse_nameserver(server)
                    except ValueError:
                        raise self.fail(
                            line, f"nameserver {quote(server)} is not IP or IP:port (port 1 to 65535)"
                        ) from None
        return value

    def notification_setting(self, name: str, value: LineList, line: int) -> None:
        """Each URL one Apprise can use and each change one it knows, at its own line; a URL's secrets unsaid."""
        lines = getattr(value, "item_lines", None) or [line] * len(value)
        for number, (item, at) in enumerate(zip(value, lines, strict=True), 1):
            if name == "notify":
                try:
                    target(item)
                except ValueError as problem:
                    raise self.fail(at, f"notify #{number}: {problem}") from None
            elif item not in NOTIFY_CHANGES:
                guess = difflib.get_close_matches(item, NOTIFY_CHANGES, n=1)
                hint = f"did you mean '{guess[0]}'?" if guess else "one of: " + ", ".join(NOTIFY_CHANGES)
                raise self.fail(at, f"setting 'notify_on': unknown change {quote(item)} ({hint})")

    def number(self, name: str, spec: Setting, value: Any, line: int) -> float | int:
        """A number within the setting's range: NaN and infinity are never in it."""
        kinds = int if spec.kind is int else int | float
        wanted = "a whole number" if spec.kind is int else "a number"
        if isinstance(value, bool) or not isinstance(value, kinds) or not spec.minimum <= value <= spec.maximum:
            raise self.fail(line, f"setting '{name}' must be {wanted} from {spec.range}, got {quote(value)}")
        return spec.kind(value)

    def resources(self, entries: LineList) -> tuple[Resource, ...]:
        seen: dict[str, int] = {}
        resources = []
        for position, entry in enumerate(entries):
            if not isinstance(entry, LineMapping):
                raise self.fail(
                    entries.item_lines[position], f"resource #{position + 1} must be a mapping with at least `url:`"
                )
            resource = self.resource(entry, position)
            key = normalize(resource.url)
            if key in seen:
                raise self.fail(
                    resource.line, f"duplicate url {quote(resource.url)} (first at line {seen[key]})"
                )
            seen[key] = resource.line
            resources.append(resource)
        return tuple(resources)

    def resource(self, entry: LineMapping, position: int) -> Resource:
        self.unknown_keys(entry, RESOURCE_FIELDS, "resource field")
        for field in TEXT_FIELDS:
            value = entry.get(field)
            if value is not None and not isinstance(value, str):
                raise self.fail(entry.key_lines[field], f"`{field}` must be a string")
            if value and field in FREE_TEXT_FIELDS:
                self.text(value, entry.key_lines[field], f"`{field}`")
        url = (entry.get("url") or "").strip()
        if not url:
            raise self.fail(entry.line, f"resource #{position + 1} has no `url`")
        line = entry.key_lines["url"]
        self.check_url(url, line, schemes=CHECKED_SCHEMES)
        kind = entry.get("kind") or ("contact" if url.startswith("mailto:") else "")
        if kind and kind not in KINDS:
            raise self.fail(
                entry.key_lines["kind"],  # only a kind the entry gives can be unknown: the default, contact, is known
                f"unknown kind {quote(kind)} (one of: {', '.join(KINDS)})",
            )
        cited_as = entry.get("cited_as")
        if cited_as in ("#", "") and not entry.get("note"):
            raise self.fail(line, f"{quote(url)}: `cited_as: \"{cited_as}\"` needs a `note` on its origin")
        ignored, expect, snooze_until = self.decisions(entry, url)
        return Resource(
            url=url,
            title=entry.get("title") or "",
            kind=kind,
            section=entry.get("section") or "",
            cited_as=url if cited_as is None else cited_as,
            note=entry.get("note") or "",
            position=position,
            line=line,
            ignored=ignored,
            expect=expect,
            snooze_until=snooze_until,
        )

    def decisions(self, entry: LineMapping, url: str) -> tuple[bool, str | None, str | None]:
        """`ignore`, `expect` and `snooze`, each at its own line: a decision kept in the list says why (`note`), and
        an ignored link, never checked, can neither expect a wall nor be snoozed."""
        ignored = entry.get("ignore", False)
        if not isinstance(ignored, bool):
            raise self.fail(entry.key_lines["ignore"], f"`ignore` must be true or false, got {quote(ignored)}")
        expect = entry.get("expect")
        if expect is not None and expect not in EXPECTED:
            raise self.fail(
                entry.key_lines["expect"],
                f"`expect` can only be `unknown` (a wall a person has looked at), got {quote(expect)}",
            )
        snooze = entry.get("snooze")
        if snooze is not None:
            snooze = self.day(snooze, entry.key_lines["snooze"])
        made = [name for name, value in (("ignore", ignored), ("expect", expect), ("snooze", snooze)) if value]
        if made and not (entry.get("note") or "").strip():
            raise self.fail(entry.key_lines[made[0]], f"{quote(url)}: `{made[0]}` needs a `note` saying why")
        if ignored and len(made) > 1:
            raise self.fail(
                entry.key_lines[made[1]], f"{quote(url)}: an ignored link is not checked: `{made[1]}` has no effect"
            )
        return ignored, expect, snooze

    def day(self, value: Any, line: int) -> str:
        """A day as YYYY-MM-DD: YAML reads an unquoted one as a date, a quoted one is text; a time is refused."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        try:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        raise self.fail(line, f"`snooze` must be a day (YYYY-MM-DD, such as 2027-03-01), got {quote(value)}")

    def check_url(self, url: str, line: int, schemes: tuple[str, ...], what: str = "") -> None:
        problem = url_problem(url, schemes)
        if problem:
            raise self.fail(line, what + problem)
