"""The report named on the command line: a file, or a web page fetched as politely as a check."""

from __future__ import annotations

from pathlib import Path

from linkkeeper.config.resources import Config
from linkkeeper.config.settings import Settings
from linkkeeper.errors import InputError
from linkkeeper.importer.fetch import fetch_report
from linkkeeper.importer.found import Extraction
from linkkeeper.importer.source import read_file


def read_source(source: str, listed: Config | None, depth: int, everything: bool) -> Extraction:
    """A web page is fetched with the settings of the list (its User-Agent, timeout, limits), or the
    defaults when there is no list yet."""
    if source.lower().startswith(("http://", "https://")):
        return fetch_report(source, depth, listed.settings if listed else Settings(), everything)
    if depth:
        raise InputError("--depth follows the links of a web page; it does not apply to a file")
    return read_file(Path(source), everything)
