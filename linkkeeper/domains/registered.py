"""The registered domain of a link: the name a registry holds, one label under a public suffix (`www.unescap.org`
is `unescap.org`, `www.statsfiji.gov.fj` is `statsfiji.gov.fj`), for a web page's host and a mail address's
domain alike.

Read with tldextract from the Public Suffix List it ships, and only that: by default tldextract downloads the list
from the internet, with no timeout, and a checker contacts only its links (and, for this, their registries). The
list's ICANN section only: a private suffix (`github.io`) is a provider's, and the registry holds its name.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from tldextract import TLDExtract

from linkkeeper.urls import normalize

BUNDLED_SUFFIXES = TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


def registered_domain(url: str) -> str | None:
    """The registered domain of `url`'s host, in its ASCII form; None for an address (IPv4, IPv6), a local
    name (`localhost`, `intranet`) or a name under a suffix no registry serves (`.test`, `.example`)."""
    normal = normalize(url)
    mail = normal.startswith("mailto:")
    host = (normal.rpartition("@")[2] if mail else urlsplit(normal).hostname or "").rstrip(".")
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    return BUNDLED_SUFFIXES(host).top_domain_under_public_suffix or None
