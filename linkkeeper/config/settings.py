"""Every setting of `resources.yml`, with its default, range and meaning: the one place they are defined.

The README's configuration reference is checked against this table by tests, so a setting cannot be
added without being documented. Every number has a finite range: a value that type-checks but is absurd
(an infinite timeout, a billion retries) would hang or exhaust an unattended run instead of failing at once.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from linkkeeper import __version__

DEFAULT_USER_AGENT = f"linkkeeper/{__version__} (link checker; +https://github.com/linkkeeper/linkkeeper)"

WAYBACK_URL = "https://web.archive.org"

# The Save Page Now 2 document's published limits, never exceeded against the real archive.
PUBLISHED_SAVES_PER_MINUTE = {False: 3.0, True: 7.0}
PUBLISHED_CDX_PER_MINUTE = 30.0

DEFAULT_CANARIES = (
    "https://www.iana.org/",
    "https://www.wikipedia.org/",
    "https://www.debian.org/",
)


DEFAULT_LEASE = 30.0
"""Seconds a worker of a distributed run (`check-links --redis`) may go without renewing its lease before
its hosts, and its checks in flight, go to another."""

MEBIBYTE = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    default: Any
    kind: type
    help: str
    minimum: float | None = None
    maximum: float | None = None

    @property
    def range(self) -> str:
        """The allowed values of a number as the README's table and the error lines write them: `1 to 600`."""
        return f"{_plain(self.minimum)} to {_plain(self.maximum)}"


def _plain(number: float | None) -> str:
    return str(int(number)) if number is not None and number == int(number) else str(number)


SETTINGS: dict[str, Setting] = {
    "timeout": Setting(30.0, float, "Seconds to wait for a server's answer to one request.", 1, 600),
    "user_agent": Setting(
        DEFAULT_USER_AGENT, str, "User-Agent sent with every request; put your organisation's contact URL in it."
    ),
    "per_host_concurrency": Setting(2, int, "Requests in flight to one host at most, as the server sees them.", 1, 64),
    "concurrency": Setting(64, int, "Requests in flight in all at most.", 1, 1000),
    "crawlers": Setting(
        0,
        int,
        "Crawler processes, each checking the links of its share of the hosts (a host is always in one, so its"
        " limit holds); 0: one per CPU core for a list of thousands of links, one for a shorter list.",
        0,
        64,
    ),
    "retries": Setting(
        2,
        int,
        "Extra attempts after a transient failure (timeout, connection reset or refused, DNS, 408, 429, 5xx).",
        0,
        10,
    ),
    "retry_backoff": Setting(2.0, float, "Seconds before the first retry; doubles at each further attempt.", 0, 60),
    "max_retry_after": Setting(
        120.0,
        float,
        "Longest `Retry-After` honoured, in seconds; a longer one ends the attempts for this run.",
        0,
        3600,
    ),
    "retry_budget": Setting(
        10.0,
        float,
        "Seconds a run may go on, once every other link is checked, for retries still waiting; a retry due later"
        " is not sent and its link keeps the answer it had.",
        0,
        3600,
    ),
    "max_redirects": Setting(10, int, "Redirects followed before `too-many-redirects`.", 0, 50),
    "max_body_bytes": Setting(
        524288,
        int,
        "Bytes of a page read at most; the download stops there and the page still counts as alive.",
        1024,
        64 * MEBIBYTE,
    ),
    "canaries": Setting(
        list(DEFAULT_CANARIES),
        list,
        "Reliable URLs fetched before anything else; when none answers at all, the run is `network_down`. "
        "`[]` disables the guard.",
    ),
    "nameservers": Setting(
        [], list, "DNS servers (`IP`, `IP:port`, `[IPv6]:port`) for `mailto:` checks; `[]` uses the system's."
    ),
    "timezone": Setting(
        "UTC",
        str,
        "IANA time zone (`Pacific/Auckland`, say) of every time the dashboard, `status`, `history` and the reports "
        "show; the database keeps UTC.",
    ),
    "health.dead_after_failures": Setting(3, int, "Failed runs in a row before a link is `dead`.", 1, 1000),
    "health.dead_after_days": Setting(3.0, float, "Days the failures must span before a link is `dead`.", 0, 3650),
    "health.cert_warning_days": Setting(
        30.0, float, "A TLS certificate expiring within this many days puts a link at risk.", 0, 365
    ),
    "archive.enabled": Setting(
        True, bool, "Run the archive step after each check (`--no-archive` skips it for one run)."
    ),
    "archive.wayback_url": Setting(
        WAYBACK_URL,
        str,
        "Base URL of every Wayback Machine call (save, status, CDX, availability, replay); "
        "`$LINKKEEPER_WAYBACK_URL` overrides it.",
    ),
    "archive.resave_after_days": Setting(
        30.0, float, "A page with a capture newer than this is not submitted again.", 0, 3650
    ),
    "archive.preserve_ok": Setting(
        False, bool, "Also submit healthy links that have no capture within `resave_after_days`."
    ),
    "archive.saves_per_minute": Setting(
        0.0,
        float,
        "Save Page Now submissions a minute; 0 means the published limit (3 anonymous, 7 with keys). Never "
        "more than that against the real archive.",
        0,
        600,
    ),
    "archive.saves_per_day": Setting(
        100,
        int,
        "Submissions in any 24 hours at most (the archive allows 200 anonymous, far more with keys).",
        0,
        100000,
    ),
    "archive.cdx_per_minute": Setting(
        20.0,
        float,
        "CDX and availability look-ups and capture fetches a minute (never more than the published 30 against the"
        " real archive).",
        0.1,
        600,
    ),
    "archive.captures_per_lookup": Setting(
        5,
        int,
        "Captures of a dead link fetched and judged in one run, newest first, for one that shows the page; the"
        " older ones are judged by the next run.",
        1,
        100,
    ),
    "archive.max_jobs": Setting(3, int, "Save Page Now jobs in progress at once.", 1, 100),
    "archive.poll_interval": Setting(5.0, float, "Seconds between two polls of a job's status.", 0.01, 600),
    "archive.job_timeout": Setting(
        180.0,
        float,
        "Seconds a job is followed in one run; after that it stays pending, job id kept, for the next run.",
        0,
        3600,
    ),
    "archive.time_budget": Setting(
        900.0, float, "Seconds the archive step may take in one run; what is left stays pending.", 1, 86400
    ),
    "archive.request_timeout": Setting(
        60.0,
        float,
        "Seconds one Wayback Machine call may take in all, headers and body included (never more than is left"
        " of `time_budget`); an answer over 2 MB is refused (of an archived page, its first 2 MB are judged).",
        1,
        600,
    ),
    "archive.warc_dir": Setting(
        "archive/warc", str, "Where the local WARC copies of submitted pages go (relative to `resources.yml`)."
    ),
    "archive.ia_config": Setting(
        "", str, "The `ia.ini` holding Internet Archive keys; empty looks where the `ia` tool writes it."
    ),
}


@dataclass(frozen=True)
class HealthPolicy:
    dead_after_failures: int
    dead_after_days: float
    cert_warning_days: float


@dataclass(frozen=True)
class ArchivePolicy:
    enabled: bool
    wayback_url: str
    resave_after_days: float
    preserve_ok: bool
    saves_per_minute: float
    saves_per_day: int
    cdx_per_minute: float
    captures_per_lookup: int
    max_jobs: int
    poll_interval: float
    job_timeout: float
    time_budget: float
    request_timeout: float
    warc_dir: str
    ia_config: str


GROUPS = {"health": HealthPolicy, "archive": ArchivePolicy}


@dataclass(frozen=True)
class Settings:
    """The list's settings; `from_flat` refuses an unknown time zone, the one value no range can check."""

    timeout: float
    user_agent: str
    per_host_concurrency: int
    concurrency: int
    crawlers: int
    retries: int
    retry_backoff: float
    max_retry_after: float
    retry_budget: float
    max_redirects: int
    max_body_bytes: int
    canaries: tuple[str, ...]
    nameservers: tuple[str, ...]
    timezone: str
    health: HealthPolicy
    archive: ArchivePolicy

    @classmethod
    def from_flat(cls, values: dict[str, Any]) -> Settings:
        """Build from dotted names (`health.dead_after_days`), filling in every default."""
        merged = {name: values.get(name, spec.default) for name, spec in SETTINGS.items()}
        fields: dict[str, Any] = {
            name: tuple(value) if isinstance(value, list) else value
            for name, value in merged.items()
            if "." not in name
        }
        for group, policy in GROUPS.items():
            prefix = group + "."
            fields[group] = policy(
                **{name.removeprefix(prefix): v for name, v in merged.items() if name.startswith(prefix)}
            )
        return cls(**fields)

    def to_dict(self) -> dict[str, Any]:
        """Dotted names to plain values, as the crawler's job file carries them."""
        flat = {}
        for name in SETTINGS:
            group, _, field = name.rpartition(".")
            value = getattr(getattr(self, group), field) if group else getattr(self, name)
            flat[name] = list(value) if isinstance(value, tuple) else value
        return flat


def parse_nameserver(server: str) -> tuple[str, int]:
    """`IP`, `IP:port` or `[IPv6]:port` as (address, port); raises ValueError otherwise."""
    host, port = server, "53"
    if server.startswith("["):
        host, _, rest = server[1:].partition("]")
        port = rest.removeprefix(":") or port
    elif server.count(":") == 1:
        host, _, port = server.partition(":")
    ipaddress.ip_address(host)
    if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"port {port!r} is not a number from 1 to 65535")
    return host, int(port)
