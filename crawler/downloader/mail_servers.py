"""The hosts that take mail for a domain, asked of DNS: its MX records, falling back to an address record as mail
servers do (RFC 5321, 5.1); a null MX (RFC 7505) refuses mail."""

from __future__ import annotations

import dns.exception
import dns.nameserver
import dns.resolver
from twisted.internet.error import DNSLookupError

from linkkeeper.config.settings import parse_nameserver


def mail_servers(domain: str, nameservers: list[str], timeout: float) -> list[str]:
    """The hosts that take mail for `domain`, best first; raises `DNSLookupError` when there are none."""
    resolver = _resolver(nameservers, timeout)
    try:
        answer = resolver.resolve(domain, "MX")
        records = sorted(answer, key=lambda record: record.preference)
        hosts = [record.exchange.to_text(omit_final_dot=True) for record in records]
        if hosts in ([""], ["."]) or all(not host for host in hosts):
            raise DNSLookupError(f"{domain} takes no mail (null MX)")
        return hosts
    except dns.resolver.NoAnswer:
        pass
    except dns.resolver.NXDOMAIN:
        raise DNSLookupError(f"no such domain: {domain}") from None
    except dns.exception.DNSException as error:
        raise DNSLookupError(f"{domain}: {error}") from None
    for rdtype in ("A", "AAAA"):
        try:
            resolver.resolve(domain, rdtype)
            return [domain]
        except dns.resolver.NoAnswer:
            continue
        except dns.exception.DNSException as error:
            raise DNSLookupError(f"{domain}: {error}") from None
    raise DNSLookupError(f"{domain} has no mail servers (no MX, A or AAAA record)")


def _resolver(nameservers: list[str], timeout: float) -> dns.resolver.Resolver:
    if nameservers:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [
            dns.nameserver.Do53Nameserver(*parse_nameserver(server)) for server in nameservers
        ]
    else:
        resolver = dns.resolver.Resolver()
    resolver.lifetime = timeout
    return resolver
