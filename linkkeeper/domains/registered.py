"""The registered domain of a link: the name a registry holds, one label under a public suffix (`www.unescap.org`
is `unescap.org`, `www.statsfiji.gov.fj` is `statsfiji.gov.fj`), for a web page's host and a mail address's
domain alike.

Read with tldextract from the Public Suffix List it ships, and only that: by default tldextract downloads the list
from the internet, with no timeout, and a checker contacts only its links (and, for this, their registries). The
list's ICANN section only: a private suffix (`github.io`) is a provider's, and the registry holds its name.
"""

from __future__ import annotations

import functools
import ipaddress

from linkkeeper.urls import host_key


def registered_domain(url: str) -> str | None:
    """The registered domain of `url`'s host, in its ASCII form; None for an address (IPv4, IPv6), a local
    name (`localhost`, `intranet`) or a name under a suffix no registry serves (`.test`, `.example`)."""
    return _of_host(host_key(url).rstrip("."))


@functools.lru_cache(maxsize=1 << 14)
def _of_host(host: str) -> str | None:
    """Per host: a list has several links on most of its hosts."""
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    return _bundled_suffixes()(host).top_domain_under_public_suffix or None


@functools.cache
def _bundled_suffixes():
    """Made when first asked: tldextract imports `requests` (0.1 s), which `check-links` would otherwise load
    before its crawl starts, though it asks only once its crawlers are under way."""
    from tldextract import TLDExtract

    return TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)
