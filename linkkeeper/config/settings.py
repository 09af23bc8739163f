"""Every setting of `resources.yml`, with its default, range and meaning: the one place they are defined.

Each is declared once, as a field of the dataclasses the code reads (`Settings`, and its groups
`HealthPolicy` and `ArchivePolicy`), its meaning and range in the field's metadata; `SETTINGS`, the table
that `resources.py` validates a list with, is read from those fields. The crawler's Scrapy settings take
their defaults from `Settings()` (crawler/settings.py). The README's configuration reference is rendered
from the table and checked by tests, so a setting cannot be added without being documented.

Every number has a finite range: a value that type-checks but is absurd (an infinite timeout, a billion
retries) would hang or exhaust an unattended run instead of failing at once.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, fields
from typing import Any, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from linkkeeper import __version__
from linkkeeper.quote import quote

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


NOTIFY_CHANGES = {
    "newly_dead": "a link is newly dead",
    "newly_at_risk": "a link is newly at risk",
    "recovered": "a link recovered",
    "archive_lost": "the archive step found a dead link lost (no archived copy) or the archive refused a page",
    "run_failed": "the run failed (the crawler, the disk, ...)",
    "network_down": "the network was down (no canary answered)",
    "still_dead": "the links still dead, once every `remind_dead_days` (a reminder, even when nothing changed)",
}
"""What a notification can be sent for (`notify_on`), as the documentation says it."""
DEFAULT_NOTIFY_ON = ("newly_dead", "recovered", "archive_lost", "run_failed")

SETTING = "setting"
"""The key of a settings field's metadata that makes it a setting of `resources.yml` (see `setting`)."""


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


def setting(default: Any, help: str, minimum: float | None = None, maximum: float | None = None) -> Any:
    """A field of the dataclasses below that is a setting of `resources.yml`: its default, its meaning and,
    for a number, its range. Its kind is the field's type (a list for a tuple). A list's default is
    written as a tuple, the value the frozen dataclass holds."""
    return field(default=default, metadata={SETTING: {"help": help, "minimum": minimum, "maximum": maximum}})


@dataclass(frozen=True)
class HealthPolicy:
    dead_after_failures: int = setting(3, "Failed runs in a row before a link is `dead`.", 1, 1000)
    dead_after_days: float = setting(3.0, "Days the failures must span before a link is `dead`.", 0, 3650)
    cert_warning_days: float = setting(
        30.0, "A TLS certificate expiring within this many days puts a link at risk.", 0, 365
    )
    domain_warning_days: float = setting(
        30.0, "A domain whose registration expires within this many days puts its links at risk (see `rdap`).", 0, 365
    )


@dataclass(frozen=True)
class HistoryPolicy:
    keep_checks_days: int = setting(
        400,
        "Days every check is kept; older checks are rolled into one summary per link and day (`daily_checks`),"
        " save the checks that changed a link's state, kept forever.",
        30,
        36500,
    )


@dataclass(frozen=True)
class RdapPolicy:
    """Domain expiry, asked of the registries by RDAP (linkkeeper/domains/). On by default: a lapsed domain is the
    most common way a cited page dies, and the registry says so weeks ahead. It tells each registry the registered
    domains of the links it holds (resolving a link's host already asks that registry's name servers), once every
    `recheck_days`; `enabled: false` turns it off."""

    enabled: bool = setting(
        True,
        "Ask each link's domain registry (RDAP) when the domain expires, so that a lapsing domain puts its links at"
        " risk; it sends the registered domain names (not the links) to their registries.",
    )
    bootstrap: str = setting(
        "",
        "IANA's RDAP bootstrap file (`dns.json`: which server answers for each top-level domain), relative to"
        " `resources.yml`; empty: the copy shipped with linkkeeper. `$LINKKEEPER_RDAP_BOOTSTRAP` overrides it.",
    )
    recheck_days: float = setting(
        7.0,
        "Days a registry's answer is kept before its domain is asked again (a failed look-up, or an expiry date"
        " passed since, after a day).",
        1,
        365,
    )
    timeout: float = setting(5.0, "Seconds one RDAP look-up may take in all.", 0.1, 60)
    time_budget: float = setting(
        10.0,
        "Seconds the look-ups may take in one run (each server's in parallel, so at most `time_budget` / `gap` of"
        " one server's domains); the domains left are asked by the next run.",
        0.5,
        600,
    )
    gap: float = setting(0.5, "Seconds between two requests to one RDAP server (never two at once).", 0, 60)


@dataclass(frozen=True)
class ArchivePolicy:
    enabled: bool = setting(True, "Run the archive step after each check (`--no-archive` skips it for one run).")
    wayback_url: str = setting(
        WAYBACK_URL,
        "Base URL of every Wayback Machine call (save, status, CDX, availability, replay); "
        "`$LINKKEEPER_WAYBACK_URL` overrides it.",
    )
    resave_after_days: float = setting(
        30.0, "A page with a capture newer than this is not submitted again.", 0, 3650
    )
    preserve_ok: bool = setting(False, "Also submit healthy links that have no capture within `resave_after_days`.")
    saves_per_minute: float = setting(
        0.0,
        "Save Page Now submissions a minute; 0 means the published limit (3 anonymous, 7 with keys). Never "
        "more than that against the real archive.",
        0,
        600,
    )
    saves_per_day: int = setting(
        100,
        "Submissions in any 24 hours at most (the archive allows 200 anonymous, far more with keys).",
        0,
        100000,
    )
    cdx_per_minute: float = setting(
        20.0,
        "CDX and availability look-ups and capture fetches a minute (never more than the published 30 against the"
        " real archive).",
        0.1,
        600,
    )
    captures_per_lookup: int = setting(
        5,
        "Captures of a dead link fetched and judged in one run, newest first, for one that shows the page; the"
        " older ones are judged by the next run.",
        1,
        100,
    )
    max_jobs: int = setting(3, "Save Page Now jobs in progress at once.", 1, 100)
    poll_interval: float = setting(5.0, "Seconds between two polls of a job's status.", 0.01, 600)
    job_timeout: float = setting(
        180.0,
        "Seconds a job is followed in one run; after that it stays pending, job id kept, for the next run.",
        0,
        3600,
    )
    time_budget: float = setting(
        900.0, "Seconds the archive step may take in one run; what is left stays pending.", 1, 86400
    )
    request_timeout: float = setting(
        60.0,
        "Seconds one Wayback Machine call may take in all, headers and body included (never more than is left"
        " of `time_budget`); an answer over 2 MB is refused (of an archived page, its first 2 MB are judged).",
        1,
        600,
    )
    warc_dir: str = setting(
        "archive/warc", "Where the local WARC copies of submitted pages go (relative to `resources.yml`)."
    )
    ia_config: str = setting(
        "", "The `ia.ini` holding Internet Archive keys; empty looks where the `ia` tool writes it."
    )


@dataclass(frozen=True)
class Settings:
    """The list's settings, each declared once, as a field with its default, range and meaning (`setting`);
    a group (`health`, `archive`) is a field holding a dataclass of its own, its settings named with its
    name before a dot. `Settings()` is the defaults; `resources.py` refuses an unknown time zone, the one
    value no range can check."""

    timeout: float = setting(30.0, "Seconds to wait for a server's answer to one request.", 1, 600)
    user_agent: str = setting(
        DEFAULT_USER_AGENT, "User-Agent sent with every request; put your organisation's contact URL in it."
    )
    per_host_concurrency: int = setting(2, "Requests in flight to one host at most, as the server sees them.", 1, 64)
    concurrency: int = setting(64, "Requests in flight in all at most.", 1, 1000)
    crawlers: int = setting(
        0,
        "Crawler processes, each checking the links of its share of the hosts (a host is always in one, so its"
        " limit holds); 0: one per CPU core for a list of thousands of links, one for a shorter list.",
        0,
        64,
    )
    retries: int = setting(
        2,
        "Extra attempts after a transient failure (timeout, connection reset or refused, DNS, 408, 429, 5xx).",
        0,
        10,
    )
    retry_backoff: float = setting(2.0, "Seconds before the first retry; doubles at each further attempt.", 0, 60)
    max_retry_after: float = setting(
        120.0,
        "Longest `Retry-After` honoured, in seconds; a longer one ends the attempts for this run.",
        0,
        3600,
    )
    retry_budget: float = setting(
        10.0,
        "Seconds a run may go on, once every other link is checked, for retries still waiting; a retry due later"
        " is not sent and its link keeps the answer it had.",
        0,
        3600,
    )
    max_redirects: int = setting(10, "Redirects followed before `too-many-redirects`.", 0, 50)
    max_body_bytes: int = setting(
        524288,
        "Bytes of a page read at most; the download stops there and the page still counts as alive.",
        1024,
        64 * MEBIBYTE,
    )
    probe_reuse_days: float = setting(
        7.0,
        "Days a host's answer for a path that cannot exist (the soft-404 probe) is reused instead of asked again;"
        " a host whose pages show another server, landing host or text is asked again sooner. 0: every run.",
        0,
        365,
    )
    canaries: tuple[str, ...] = setting(
        DEFAULT_CANARIES,
        "Reliable URLs fetched before anything else; when none answers at all, the run is `network_down`. "
        "`[]` disables the guard.",
    )
    nameservers: tuple[str, ...] = setting(
        (), "DNS servers (`IP`, `IP:port`, `[IPv6]:port`) for `mailto:` checks; `[]` uses the system's."
    )
    timezone: str = setting(
        "UTC",
        "IANA time zone (`Pacific/Auckland`, say) of every time the dashboard, `status`, `history` and the reports "
        "show; the database keeps UTC.",
    )
    notify: tuple[str, ...] = setting(
        (),
        "Apprise URLs (`mailto://`, `slack://`, `tgram://`, `json://`, ...) each run's digest of changes is sent to;"
        " a URL holding a token or password belongs in `$LINKKEEPER_NOTIFY` or `notify_file` instead.",
    )
    notify_on: tuple[str, ...] = setting(
        DEFAULT_NOTIFY_ON,
        "Which changes a message is sent for: " + ", ".join(f"`{name}`" for name in NOTIFY_CHANGES) + ".",
    )
    notify_file: str = setting(
        "",
        "A file of more Apprise URLs, one a line, kept out of the repository (relative to `resources.yml`);"
        " `$LINKKEEPER_NOTIFY_FILE` overrides it, `$LINKKEEPER_NOTIFY` adds URLs too.",
    )
    remind_dead_days: int = setting(
        7,
        "Days between two reminders of the links still dead, in what a run prints (with `--quiet` too: cron's"
        " mail): the first run of each such period (weeks start on Monday, in `timezone`) lists them; 0: never.",
        0,
        365,
    )
    health: HealthPolicy = field(default_factory=HealthPolicy)
    archive: ArchivePolicy = field(default_factory=ArchivePolicy)
    history: HistoryPolicy = field(default_factory=HistoryPolicy)
    rdap: RdapPolicy = field(default_factory=RdapPolicy)

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
        """Dotted names to plain values."""
        flat = {}
        for name in SETTINGS:
            group, _, field = name.rpartition(".")
            value = getattr(getattr(self, group), field) if group else getattr(self, name)
            flat[name] = list(value) if isinstance(value, tuple) else value
        return flat

    def shared(self) -> dict[str, Any]:
        """What leaves this process (a crawler's job file, Redis for workers elsewhere): every setting but those
        that may hold a secret (SECRET_SETTINGS), which no crawler reads; `from_flat` gives them their default."""
        return {name: value for name, value in self.to_dict().items() if name not in SECRET_SETTINGS}


SECRET_SETTINGS = frozenset({"notify"})
"""Settings that may hold a password or token (an Apprise URL): never written outside the list itself."""


def _declared(settings: type) -> tuple[dict[str, Setting], dict[str, type]]:
    """The table of every setting, by its dotted name in declaration order, and the groups' dataclasses."""
    table: dict[str, Setting] = {}
    groups: dict[str, type] = {}
    types = get_type_hints(settings)
    for declared in fields(settings):
        kind = types[declared.name]
        if SETTING not in declared.metadata:  # a group: its settings under its name
            groups[declared.name] = kind
            inner, _ = _declared(kind)
            table.update({f"{declared.name}.{name}": spec for name, spec in inner.items()})
            continue
        default = declared.default
        if get_origin(kind) is tuple:
            kind, default = list, list(default)
        table[declared.name] = Setting(default, kind, **declared.metadata[SETTING])
    return table, groups


SETTINGS, GROUPS = _declared(Settings)
"""Every setting of `resources.yml` by its dotted name, read from the fields above: what `resources.py`
validates a list with and what the README's table shows (linkkeeper/output/readme.py)."""


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


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError naming it when the system's zone database does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {quote(name)}: use an IANA name such as 'UTC', 'Europe/Paris' or 'Pacific/Auckland'"
        ) from None
