"""Every setting of `resources.yml`, with its default and meaning: the one place they are defined.

The README's configuration reference is checked against this table by a test, so a setting cannot be
added without being documented.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from linkkeeper import __version__

DEFAULT_USER_AGENT = (
    f"linkkeeper/{__version__} (link checker; +https://github.com/linkkeeper/linkkeeper)"
)

DEFAULT_CANARIES = (
    "https://www.iana.org/",
    "https://www.wikipedia.org/",
    "https://www.debian.org/",
)


@dataclass(frozen=True)
class Setting:
    default: Any
    kind: type
    help: str
    minimum: float | None = None


SETTINGS: dict[str, Setting] = {
    "timeout": Setting(30.0, float, "Seconds to wait for a server's answer to one request.", 0.1),
    "user_agent": Setting(
        DEFAULT_USER_AGENT, str, "User-Agent sent with every request; name your contact URL."
    ),
    "per_host_concurrency": Setting(2, int, "Requests in flight to one host at most.", 1),
    "concurrency": Setting(64, int, "Requests in flight in all at most.", 1),
    "retries": Setting(
        2, int, "Extra attempts after a transient failure (timeout, reset, 5xx, 429).", 0
    ),
    "retry_backoff": Setting(
        2.0, float, "Seconds before the first retry; doubles at each further attempt.", 0
    ),
    "max_retry_after": Setting(
        120.0, float, "Longest `Retry-After` honoured, in seconds; a longer one ends the attempts.", 0
    ),
    "max_redirects": Setting(10, int, "Redirects followed before `too-many-redirects`.", 0),
    "max_body_bytes": Setting(
        524288, int, "Bytes of a page read at most; the rest is not downloaded.", 1024
    ),
    "canaries": Setting(
        list(DEFAULT_CANARIES),
        list,
        "Reliable URLs fetched first; when none answers, the run is `network_down`. `[]` disables.",
    ),
    "nameservers": Setting(
        [], list, "DNS servers (`IP` or `IP:port`) for `mailto:` checks; `[]` uses the system's."
    ),
    "health.dead_after_failures": Setting(
        3, int, "Failed runs in a row before a link is `dead`.", 1
    ),
    "health.dead_after_days": Setting(
        3.0, float, "Days the failures must span before a link is `dead`.", 0
    ),
    "health.cert_warning_days": Setting(
        30.0, float, "A TLS certificate expiring within this many days puts a link at risk.", 0
    ),
}


@dataclass(frozen=True)
class HealthPolicy:
    dead_after_failures: int
    dead_after_days: float
    cert_warning_days: float


@dataclass(frozen=True)
class Settings:
    timeout: float
    user_agent: str
    per_host_concurrency: int
    concurrency: int
    retries: int
    retry_backoff: float
    max_retry_after: float
    max_redirects: int
    max_body_bytes: int
    canaries: tuple[str, ...]
    nameservers: tuple[str, ...]
    health: HealthPolicy

    @classmethod
    def from_flat(cls, values: dict[str, Any]) -> Settings:
        """Build from dotted names (`health.dead_after_days`), filling in every default."""
        merged = {name: values.get(name, spec.default) for name, spec in SETTINGS.items()}
        health = {
            name.split(".", 1)[1]: value
            for name, value in merged.items()
            if name.startswith("health.")
        }
        top = {name: value for name, value in merged.items() if "." not in name}
        top["canaries"] = tuple(top["canaries"])
        top["nameservers"] = tuple(top["nameservers"])
        return cls(**top, health=HealthPolicy(**health))

    def to_dict(self) -> dict[str, Any]:
        return {
            name: getattr(self.health, name.split(".", 1)[1])
            if name.startswith("health.")
            else _plain(getattr(self, name))
            for name in SETTINGS
        }


def parse_nameserver(server: str) -> tuple[str, int]:
    """`IP`, `IP:port` or `[IPv6]:port` as (address, port); raises ValueError otherwise."""
    host, port = server, "53"
    if server.startswith("["):
        host, _, rest = server[1:].partition("]")
        port = rest.removeprefix(":") or port
    elif server.count(":") == 1:
        host, _, port = server.partition(":")
    ipaddress.ip_address(host)
    return host, int(port)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
