"""A labelled corpus of web-page scenarios, each served on its own loopback host the way the real host answers.

`tests/corpus/scenarios.yml` lists the scenarios (see `load_scenarios` for the schema); `tests/corpus/pages/`
holds the pages. `CorpusWeb` serves every scenario on its own address (127.0.3.N, then 127.0.4.N), so a
checker sees one distinct host per scenario and can probe it with random paths.
"""

from __future__ import annotations

import codecs
import email.utils
import html
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from linkkeeper.health.findings import FINDINGS
from linkkeeper.health.vocabulary import STATES
from local_web import Handler, Host

CORPUS = Path(__file__).parent / "corpus"

EXPECTATIONS = (
    "live",
    "soft-404",
    "parked",
    "for-sale",
    "suspended",
    "default-page",
    "placeholder",
    "wall",
    "http-error",
)
# Pages that answer (usually 200) but are not the resource any more: a checker should call them dead or at risk.
ERROR_LIKE = ("soft-404", "parked", "for-sale", "suspended", "default-page", "placeholder")

_SCENARIO_KEYS = {"name", "expect", "lang", "note", "url", "routes", "otherwise"}
_JUDGED_KEYS = {"finding", "state"}  # what linkkeeper makes of the scenario, pinned; optional in other corpora
_RESPONSE_KEYS = {"status", "page", "headers", "location"}
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_COMPUTED_HEADERS = {"content-length", "transfer-encoding", "connection", "date"}
MAX_REDIRECTS = 10
@dataclass(frozen=True)
class Response:
    """One declared answer: status, optional page file, headers (a name may repeat), optional Location."""

    status: int = 200
    page: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    location: str | None = None

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return "text/html; charset=utf-8"

    @property
    def charset(self) -> str:
        match = re.search(r"charset=\"?([A-Za-z0-9._:-]+)", self.content_type)
        return match.group(1) if match else "utf-8"

    def header(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass(frozen=True)
class Scenario:
    name: str
    expect: str
    lang: str
    note: str
    url: str
    routes: Mapping[str, Response] = field(hash=False)
    otherwise: Response = field(hash=False)
    finding: str | None = None  # linkkeeper's finding on the listed URL, and its state after one run
    state: str | None = None

    def answer(self, path: str) -> Response:
        """The response to one request for `path` (path and query, exactly as requested)."""
        return self.routes.get(path, self.otherwise)

    def chain(self, path: str | None = None) -> list[tuple[str, Response]]:
        """The requests a client following redirects makes from `path` (default: the listed URL)."""
        path = self.url if path is None else path
        steps = [(path, self.answer(path))]
        while steps[-1][1].location is not None and len(steps) <= MAX_REDIRECTS:
            path = steps[-1][1].location
            steps.append((path, self.answer(path)))
        return steps

    def final(self, path: str | None = None) -> tuple[str, Response]:
        """The last path and response after following redirects from `path` (default: the listed URL)."""
        return self.chain(path)[-1]


def load_scenarios(folder: Path = CORPUS) -> list[Scenario]:
    """Read and strictly validate `folder/scenarios.yml`; any fault raises ValueError naming the scenario."""
    source = folder / "scenarios.yml"
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{source}: not valid YAML: {error}") from error
    if not isinstance(data, list) or not data:
        raise ValueError(f"{source}: expected a non-empty YAML list of scenarios")
    pages = folder / "pages"
    scenarios: list[Scenario] = []
    names: set[str] = set()
    for index, entry in enumerate(data):
        label = entry.get("name") if isinstance(entry, dict) else None
        label = f"scenario {label!r}" if isinstance(label, str) else f"scenario #{index + 1}"
        try:
            scenario = _scenario(entry, pages)
        except ValueError as error:
            raise ValueError(f"{source}: {label}: {error}") from None
        if scenario.name in names:
            raise ValueError(f"{source}: {label}: duplicate name")
        names.add(scenario.name)
        scenarios.append(scenario)
    return scenarios


def _scenario(entry: Any, pages: Path) -> Scenario:
    if not isinstance(entry, dict):
        raise ValueError("each scenario must be a mapping")
    unknown = set(entry) - _SCENARIO_KEYS - _JUDGED_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    missing = _SCENARIO_KEYS - set(entry)
    if missing:
        raise ValueError(f"missing keys {sorted(missing)}")
    for key in ("name", "expect", "lang", "note", "url"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise ValueError(f"{key!r} must be a non-empty string")
    if not _NAME.match(entry["name"]):
        raise ValueError(f"name {entry['name']!r} is not kebab-case")
    if entry["expect"] not in EXPECTATIONS:
        raise ValueError(f"unknown expect {entry['expect']!r} (one of {', '.join(EXPECTATIONS)})")
    if not _LANG.match(entry["lang"]):
        raise ValueError(f"lang {entry['lang']!r} is not a language tag")
    _check_path("url", entry["url"])
    if entry.get("finding") is not None and entry["finding"] not in FINDINGS:
        raise ValueError(f"unknown finding {entry['finding']!r}")
    if entry.get("state") is not None and entry["state"] not in STATES:
        raise ValueError(f"unknown state {entry['state']!r} (one of {', '.join(STATES)})")
    routes = entry["routes"]
    if routes is None:
        routes = {}
    if not isinstance(routes, dict):
        raise ValueError("'routes' must be a mapping of paths to responses")
    parsed: dict[str, Response] = {}
    for path, response in routes.items():
        if not isinstance(path, str):
            raise ValueError(f"route {path!r} must be a string path")
        _check_path("route", path)
        parsed[path] = _response(response, pages, f"route {path}")
    otherwise = _response(entry["otherwise"], pages, "otherwise")
    scenario = Scenario(
        name=entry["name"],
        expect=entry["expect"],
        lang=entry["lang"],
        note=entry["note"].strip(),
        url=entry["url"],
        routes=MappingProxyType(parsed),
        otherwise=otherwise,
        finding=entry.get("finding"),
        state=entry.get("state"),
    )
    steps = scenario.chain()
    if steps[-1][1].location is not None:
        raise ValueError(f"the listed url {scenario.url} redirects more than {MAX_REDIRECTS} times")
    return scenario


def _check_path(what: str, path: str) -> None:
    if not path.startswith("/") or path.startswith("//") or any(c.isspace() for c in path) or "#" in path:
        raise ValueError(f"{what} {path!r} must be a path (and query) on the same host, starting with one '/'")


def _response(value: Any, pages: Path, where: str) -> Response:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: a response must be a mapping")
    unknown = set(value) - _RESPONSE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    status = value.get("status", 200)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ValueError(f"{where}: status {status!r} is not an HTTP status")
    page = value.get("page")
    if page is not None:
        if not isinstance(page, str) or "/" in page or "\\" in page or page.startswith("."):
            raise ValueError(f"{where}: page {page!r} must be a file name under pages/")
        if not (pages / page).is_file():
            raise ValueError(f"{where}: page file {page} not found in {pages}")
    headers: list[tuple[str, str]] = []
    raw_headers = value.get("headers") or {}
    if not isinstance(raw_headers, dict):
        raise ValueError(f"{where}: headers must be a mapping")
    for name, raw in raw_headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.match(name):
            raise ValueError(f"{where}: bad header name {name!r}")
        if name.lower() in _COMPUTED_HEADERS:
            raise ValueError(f"{where}: header {name} is set by the server, not the scenario")
        if name.lower() == "location":
            raise ValueError(f"{where}: use 'location', not a Location header")
        for item in raw if isinstance(raw, list) else [raw]:  # a list: the header repeats
            if isinstance(item, bool) or not isinstance(item, str | int):
                raise ValueError(f"{where}: header {name} must be a string (or a list of strings)")
            if "\n" in str(item) or "\r" in str(item):
                raise ValueError(f"{where}: header {name} contains a line break")
            headers.append((name, str(item)))
    location = value.get("location")
    redirecting = 300 <= status < 400 and status != 304
    if location is not None:
        if not redirecting:
            raise ValueError(f"{where}: 'location' is only for 3xx statuses, not {status}")
        if not isinstance(location, str):
            raise ValueError(f"{where}: location must be a string")
        _check_path(f"{where}: location", location)
    elif redirecting:
        raise ValueError(f"{where}: a {status} redirect needs a 'location'")
    response = Response(status=status, page=page, headers=tuple(headers), location=location)
    try:
        codecs.lookup(response.charset)
    except LookupError:
        raise ValueError(f"{where}: unknown charset {response.charset!r} in Content-Type") from None
    if page is not None:
        try:
            (pages / page).read_text(encoding="utf-8").encode(response.charset)
        except UnicodeError as error:
            raise ValueError(f"{where}: page {page} cannot be sent as {response.charset}: {error}") from None
    return response


def address(index: int) -> str:
    """The loopback address of the scenario at `index` (0-based): 127.0.3.1 ... 127.0.3.254, then 127.0.4.1 ..."""
    block, offset = divmod(index, 254)
    if block > 251:
        raise ValueError("too many scenarios for the loopback blocks 127.0.3.0 to 127.0.254.0")
    return f"127.0.{3 + block}.{offset + 1}"


def render(response: Response, path: str, pages: Path = CORPUS / "pages") -> bytes:
    """The body sent for `response` to a request for `path`: the page, `{path}` echoed, in the declared charset."""
    if response.page is None:
        return b""
    text = (pages / response.page).read_text(encoding="utf-8")
    return text.replace("{path}", html.escape(path)).encode(response.charset)


def sent_headers(response: Response) -> list[tuple[str, str]]:
    """The headers a scenario's host sends with `response`, besides Date and Content-Length, in order."""
    headers = [] if response.header("Content-Type") else [("Content-Type", response.content_type)]
    headers.extend(response.headers)
    if response.location is not None:
        headers.append(("Location", response.location))
    return headers


def _handler(response: Response, pages: Path) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        body = render(response, request.path, pages)
        # send_response_only: no automatic Server header, so the scenario's own Server (or none) is what is seen
        request.send_response_only(response.status)
        request.send_header("Date", email.utils.formatdate(usegmt=True))
        for name, value in sent_headers(response):
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


class CorpusWeb:
    """Serve every scenario on its own loopback host while the `with` block runs."""

    def __init__(self, scenarios: list[Scenario] | None = None, folder: Path = CORPUS):
        self.folder = folder
        self.scenarios = load_scenarios(folder) if scenarios is None else list(scenarios)
        self.hosts: dict[str, Host] = {}
        self.urls: dict[str, str] = {}

    def __enter__(self) -> CorpusWeb:
        pages = self.folder / "pages"
        try:
            for index, scenario in enumerate(self.scenarios):
                self.hosts[scenario.name] = Host(address(index))  # registered at once: closed on any failure
            for scenario in self.scenarios:
                host = self.hosts[scenario.name]
                for path, response in scenario.routes.items():
                    host.route(path, _handler(response, pages))
                host.fallback = _handler(scenario.otherwise, pages)
                self.urls[scenario.name] = host.url + scenario.url
            for host in self.hosts.values():
                host.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        hosts = list(self.hosts.values())
        with ThreadPoolExecutor(max_workers=32) as pool:
            list(pool.map(_stop, hosts))

    def url(self, name: str, path: str | None = None) -> str:
        """The absolute URL of `path` on scenario `name`'s host (default: its listed URL)."""
        return self.urls[name] if path is None else self.hosts[name].url + path


def _stop(host: Host) -> None:
    if host.thread.is_alive():
        host.stop()
        host.thread.join(timeout=5)
    else:
        host.server.server_close()
