"""Which registry's RDAP service answers for a domain: IANA's bootstrap file for DNS (RFC 9224), read from the
copy shipped beside this module (`dns.json`, its publication date inside), or from a file a person names
(`rdap.bootstrap`, or `$LINKKEEPER_RDAP_BOOTSTRAP` over it: a fresher copy of https://data.iana.org/rdap/dns.json,
or a test's local server). It is never fetched by a run: a checker contacts only its links and their
registries. A top-level domain the file does not list has no RDAP service (several Pacific country codes
among them): no information, never a failure.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from linkkeeper.config.resources import Config
from linkkeeper.errors import InputError

BOOTSTRAP_VARIABLE = "LINKKEEPER_RDAP_BOOTSTRAP"
SHIPPED = Path(__file__).with_name("dns.json")


@dataclass(frozen=True)
class Bootstrap:
    services: dict[str, str]  # a domain suffix (`org`, `gov.fj`) to the base URL of its RDAP service

    def server_for(self, domain: str) -> str | None:
        """The base URL (ending in `/`) for `domain`: the service of its longest listed suffix, label by label."""
        labels = domain.lower().split(".")
        for start in range(len(labels)):
            server = self.services.get(".".join(labels[start:]))
            if server:
                return server
        return None


def bootstrap_path(config: Config) -> Path:
    """The bootstrap file this list's runs read: the environment's, the setting's (relative to the list), or ours."""
    named = os.environ.get(BOOTSTRAP_VARIABLE) or config.settings.rdap.bootstrap
    return config.path.parent / named if named else SHIPPED


def load_bootstrap(path: Path) -> Bootstrap:
    """The services of an RFC 9224 file, each suffix to its first HTTPS (else HTTP) URL; `InputError` naming the
    file when it cannot be read as one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        services = {}
        for suffixes, urls in document["services"]:
            chosen = sorted(urls, key=lambda url: not url.startswith("https:"))[0]
            base = chosen if chosen.endswith("/") else chosen + "/"
            services.update({suffix.lower().strip("."): base for suffix in suffixes})
    except OSError as error:
        raise InputError(f"{path}: the RDAP bootstrap file cannot be read: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        raise InputError(
            f'{path}: not an RDAP bootstrap file (RFC 9224: "services", a list of [suffixes, URLs])'
        ) from None
    return Bootstrap(services)
