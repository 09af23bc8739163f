"""A request leaves the crawler as it is sent, not at the reactor's next poll (crawler/downloader/writes.py):
a Twisted client in a process of its own, and a plain socket at the other end of its connection."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CLIENT = textwrap.dedent(
    """
    import select, socket, struct, sys
    from twisted.internet import protocol, reactor
    from crawler.downloader.writes import write_out

    listening = socket.create_server(("127.0.0.1", 0))
    peer = []

    class Client(protocol.Protocol):
        def connectionMade(self):
            peer.append(listening.accept()[0])
            if sys.argv[1] == "reset":
                peer[0].setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                peer[0].close()
            self.write()

        def write(self):
            self.transport.write(b"GET / HTTP/1.1\\r\\n\\r\\n")
            write_out(reactor)  # on a reset connection, the send fails
            if sys.argv[1] == "reset":
                return
            arrived = select.select([peer[0]], [], [], 1.0)[0]  # the reactor waits meanwhile: it polls nothing
            print("arrived" if arrived and peer[0].recv(100).startswith(b"GET") else "held")
            reactor.stop()

        def connectionLost(self, reason):
            if sys.argv[1] == "reset":
                print("lost:", reason.type.__name__)
                reactor.stop()

    reactor.connectTCP("127.0.0.1", listening.getsockname()[1], protocol.ClientFactory.forProtocol(Client))
    reactor.callLater(10, reactor.stop)
    reactor.run()
    """
)


def client(case: str) -> str:
    done = subprocess.run([sys.executable, "-c", CLIENT, case], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_request_reaches_its_server_before_the_reactor_polls_again():
    assert client("sent") == "arrived"


def test_a_connection_whose_server_is_gone_is_lost_as_the_reactor_finds_it():
    assert client("reset").startswith("lost: Connection")
