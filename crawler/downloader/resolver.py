"""Host names resolved as Scrapy's caching resolver does, and an address (`http://127.0.0.1/`, `http://[::1]/`)
taken as it is.

Twisted's resolver sends every host to a thread for `getaddrinfo`, an address literal included, and the answer
comes back on a later turn of the reactor: a first connection to an address waited some 7 ms more for it on a
busy crawler (4,000 links over 1,000 hosts at 200 ms, bench/throughput.py `slots`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from scrapy.resolver import CachingHostnameResolver, HostResolution
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IAddress, IHostResolution, IResolutionReceiver


class AddressAsIsResolver(CachingHostnameResolver):
    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        try:
            version = ipaddress.ip_address(hostName).version
        except ValueError:
            return super().resolveHostName(resolutionReceiver, hostName, portNumber, addressTypes, transportSemantics)
        resolution = HostResolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)
        address = IPv4Address if version == 4 else IPv6Address
        resolutionReceiver.addressResolved(address(transportSemantics, hostName, portNumber))
        resolutionReceiver.resolutionComplete()
        return resolution
