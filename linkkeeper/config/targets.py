"""Where notifications go: Apprise URLs, from `settings.notify`, `$LINKKEEPER_NOTIFY` and a file out of the repository.

An Apprise URL often holds a token or a password (a Telegram bot's, an SMTP login). A `Target` keeps it only to
send: what is shown (in a message, the database, `--json`) is Apprise's privacy rendering, and `scrub` takes the
secret parts out of any text Apprise or a server wrote about it. Apprise's own log is silenced while it reads a
URL, since it names the URL it could not read, secrets and all.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkkeeper.errors import InputError

NOTIFY_VARIABLE = "LINKKEEPER_NOTIFY"
"""Apprise URLs separated by spaces or new lines, added to the list's."""
NOTIFY_FILE_VARIABLE = "LINKKEEPER_NOTIFY_FILE"
"""A file of Apprise URLs; overrides the `notify_file` setting."""
_PIECES = re.compile(r"[^/:@?&=#,;.\s]{3,}")
_SPELLED_URL = re.compile(r"\S*://\S*")  # a URL in Apprise's words, however Apprise spelled it


@dataclass(frozen=True)
class Target:
    """One place notifications go. `url` holds its secrets and is only handed to Apprise."""

    url: str = field(repr=False)
    shown: str
    plugin: Any = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """Names the target in the database without its secrets: a digest of the whole URL."""
        return hashlib.sha256(self.url.encode()).hexdigest()[:32]

    def scrub(self, text: str) -> str:
        """`text` without the parts of the URL its privacy rendering hides."""
        return scrub(text, self.url, keep=set(_PIECES.findall(self.plugin.url(privacy=True))))


def scrub(text: str, url: str, keep: frozenset[str] | set[str] = frozenset()) -> str:
    """`text` with every piece of `url` (three characters or more, between its delimiters) starred out, save those
    in `keep` and its scheme: what Apprise says of a URL can carry any part of it."""
    scheme = url.partition("://")[0]
    for piece in sorted(set(_PIECES.findall(url)) - keep - {scheme}, key=len, reverse=True):
        text = text.replace(piece, "***")
    return text


def hidden(url: str) -> str:
    """A URL Apprise could not read, shown with its scheme only: nothing says which of its parts are secret."""
    scheme, sep, _ = url.partition("://")
    return f"{scheme}://…" if sep and scheme.isascii() and scheme.isalnum() else "…"


@contextmanager
def apprise_silenced() -> Iterator[list[logging.LogRecord]]:
    """Apprise's log kept from every handler (it names URLs, secrets included) and handed over as records."""
    records: list[logging.LogRecord] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("apprise")
    handler, propagate = _Keep(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def target(url: str) -> Target:
    """The target `url` names; ValueError saying why Apprise cannot use it, without the URL's secrets."""
    import apprise

    with apprise_silenced() as said:
        plugin = apprise.Apprise.instantiate(url.strip())
    if plugin is None:
        why = [scrub(_SPELLED_URL.sub("", record.getMessage()), url).strip().rstrip(":") for record in said]
        raise ValueError(
            f"Apprise cannot use {hidden(url)}" + (f" ({'; '.join(filter(None, why))})" if any(why) else "")
        )
    return Target(url.strip(), plugin.url(privacy=True).partition("?")[0], plugin)


def gather(config_path: Path, listed: Sequence[str], notify_file: str) -> list[Target]:
    """Every target of a list: its `notify` setting, `$LINKKEEPER_NOTIFY` and the file of URLs (each once). A URL
    Apprise cannot use is an `InputError` naming where it was written, never the URL's secrets."""
    found: list[tuple[str, str]] = [(f"{config_path}: notify #{n}", url) for n, url in enumerate(listed, 1)]
    variable = os.environ.get(NOTIFY_VARIABLE, "")
    found += [(f"${NOTIFY_VARIABLE} #{n}", url) for n, url in enumerate(variable.split(), 1)]
    place = os.environ.get(NOTIFY_FILE_VARIABLE) or notify_file
    if place:
        path = config_path.parent / Path(place).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{path}: cannot read the file of notification URLs ({type(error).__name__})") from None
        written = ((n, line.strip()) for n, line in enumerate(lines, 1))
        found += [(f"{path}:{n}", line) for n, line in written if line and not line.startswith("#")]
    targets: dict[str, Target] = {}
    for where, url in found:
        try:
            one = target(url)
        except ValueError as problem:
            raise InputError(f"{where}: {problem}") from None
        targets.setdefault(one.key, one)
    return list(targets.values())
