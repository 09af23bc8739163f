"""The crawler's resolver (crawler/downloader/resolver.py): an address literal is its own answer, given at once;
a name goes to the look-up Scrapy's caching resolver makes. End to end, tests/test_ipv6_end_to_end.py."""

from __future__ import annotations

import pytest
from scrapy.resolver import HostResolution
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.testing import MemoryReactorClock

from crawler.downloader.resolver import AddressAsIsResolver


class Receiver:
    def __init__(self):
        self.addresses = []
        self.complete = False

    def resolutionBegan(self, resolution):
        self.name = resolution.name

    def addressResolved(self, address):
        self.addresses.append(address)

    def resolutionComplete(self):
        self.complete = True


class LookUps:
    """The resolver underneath, which counts what it is asked."""

    def __init__(self):
        self.asked = []

    def resolveHostName(self, receiver, hostName, portNumber=0, addressTypes=None, transportSemantics="TCP"):
        self.asked.append(hostName)
        receiver.resolutionBegan(HostResolution(hostName))
        receiver.addressResolved(IPv4Address("TCP", "192.0.2.7", portNumber))
        receiver.resolutionComplete()
        return receiver


def resolver() -> tuple[AddressAsIsResolver, LookUps]:
    reactor = MemoryReactorClock()
    looked_up = LookUps()
    reactor.installNameResolver(looked_up)
    return AddressAsIsResolver(reactor, cache_size=100), looked_up


@pytest.mark.parametrize(
    ("host", "port", "answer"),
    [("127.0.40.1", 8080, IPv4Address("TCP", "127.0.40.1", 8080)), ("::1", 443, IPv6Address("TCP", "::1", 443))],
)
def test_an_address_is_its_own_answer_at_once_without_a_look_up(host, port, answer):
    addresses, looked_up = resolver()
    receiver = Receiver()
    addresses.resolveHostName(receiver, host, port)
    assert receiver.complete
    assert receiver.addresses == [answer]
    assert looked_up.asked == []


def test_a_name_is_looked_up():
    addresses, looked_up = resolver()
    receiver = Receiver()
    addresses.resolveHostName(receiver, "pacificdigital.example", 80)
    assert looked_up.asked == ["pacificdigital.example"]
    assert receiver.addresses == [IPv4Address("TCP", "192.0.2.7", 80)]
