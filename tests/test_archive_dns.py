"""A Wayback call ends by its deadline even while the system resolver is still looking the name up.

The slow resolver is real: in a user, network and mount namespace, a name server on 127.0.0.1:53 reads
every query and answers none, and the resolv.conf bind-mounted over /etc/resolv.conf waits 30 s per query,
3 times, so glibc's getaddrinfo blocks for a minute and a half. The same namespace shows what must keep
working: names from /etc/hosts (never sent to the name server) and a proxy named there, which is looked up
in place of the server behind it. Outside the namespace, HTTPS calls to `localhost` and to an IP address go
through the same path to the local Wayback stand-in, the certificate checked against the name in the URL.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from archive.transport import CallError, bounded_session, fetch
from local_wayback import LocalWayback

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 2.0
PAGE = "http://example.org/report"

# Runs as root of the namespace, with resolv.conf, nsswitch.conf and hosts already bind-mounted. Prints one
# JSON line: what each call got, how long it took, and how many queries reached the silent name server.
NAMESPACE_SCRIPT = r"""
import fcntl, json, socket, struct, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from archive.transport import CallError, bounded_session, fetch

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as control:
    flags = struct.unpack("16sh", fcntl.ioctl(control, SIOCGIFFLAGS, struct.pack("16sh", b"lo", 0)))[1]
    fcntl.ioctl(control, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))

queries = []
silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
silent.bind(("127.0.0.1", 53))
threading.Thread(target=lambda: [queries.append(silent.recv(4096)) for _ in iter(int, 1)], daemon=True).start()

seen = []
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        seen.append({"target": self.path, "host": self.headers["Host"]})
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
port = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()

def call(url, seconds, **kwargs):
    started = time.monotonic()
    try:
        answer = fetch(bounded_session("linkkeeper-test"), "GET", url, seconds, **kwargs)
        got = {"status": answer.status, "body": answer.text}
    except CallError as error:
        got = {"error": str(error)}
    return {**got, "seconds": time.monotonic() - started, "queries": len(queries), "seen": list(seen)}

print(json.dumps({
    "hosts": call(f"http://localhost:{port}/x", 5.0),
    "proxy": call("http://web.archive.invalid/x", 5.0, proxies={"http": f"http://wayback-proxy.test:{port}"}),
    "silent": call("http://web.archive.invalid/x", DEADLINE),
}))
"""


def _namespace_unavailable() -> str | None:
    if not sys.platform.startswith("linux") or not shutil.which("unshare"):
        return "needs Linux and unshare(1)"
    probe = subprocess.run(["unshare", "-rnm", "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode:
        return f"`unshare -rnm true` fails here: {probe.stderr.strip() or probe.returncode}"
    return None


@pytest.fixture(scope="module")
def namespace_calls(tmp_path_factory) -> dict:
    """The three calls of NAMESPACE_SCRIPT, made once for the tests below."""
    reason = _namespace_unavailable()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("namespace")
    files = {
        "/etc/resolv.conf": "nameserver 127.0.0.1\noptions timeout:30 attempts:3\n",
        "/etc/nsswitch.conf": "hosts: files dns\n",  # no nss module that could answer from outside
        "/etc/hosts": "127.0.0.1 localhost wayback-proxy.test\n",
    }
    mounts = []
    for target, text in files.items():
        source = folder / Path(target).name
        source.write_text(text)
        mounts.append(f"mount --bind {source} {target}")
    script = NAMESPACE_SCRIPT.replace("DEADLINE", repr(DEADLINE))
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        ["unshare", "-rnm", "sh", "-c", " && ".join([*mounts, 'exec "$0" -c "$1"']), sys.executable, script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_call_ends_at_its_deadline_while_the_resolver_is_still_waiting(namespace_calls):
    silent = namespace_calls["silent"]
    assert silent["queries"] >= 1, "the name server was never asked: the name did not reach the resolver"
    assert silent["error"] == "no complete answer within 2 s"
    assert DEADLINE - 0.1 < silent["seconds"] < 4.0


def test_names_from_the_hosts_file_resolve_without_the_name_server(namespace_calls):
    hosts = namespace_calls["hosts"]
    assert (hosts["status"], hosts["body"], hosts["queries"]) == (200, "ok", 0)
    assert hosts["seen"][0]["host"].startswith("localhost:")
    assert hosts["seconds"] < 1.0


def test_with_a_proxy_only_the_proxy_name_is_looked_up(namespace_calls):
    """web.archive.invalid would hang in the resolver: the call gets through because only the proxy's name,
    from the hosts file, is resolved, and the server's name goes to the proxy as it was."""
    proxy = namespace_calls["proxy"]
    assert (proxy["status"], proxy["body"], proxy["queries"]) == (200, "ok", 0)
    assert proxy["seen"][-1] == {"target": "http://web.archive.invalid/x", "host": "web.archive.invalid"}
    assert proxy["seconds"] < 1.0


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for `localhost` and 127.0.0.1: (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@pytest.fixture
def tls_wayback(certificate):
    """The local Wayback stand-in behind TLS; `.server_names` lists the SNI name of each handshake."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, server_name, context: server_names.append(server_name)
    local = LocalWayback()
    local.server.socket = context.wrap_socket(local.server.socket, server_side=True)
    local.server_names = server_names
    local.add_capture(PAGE, "20200101000000")
    with local:
        yield local


@pytest.mark.parametrize(("host", "server_name"), [("localhost", "localhost"), ("127.0.0.1", None)])
def test_an_https_call_checks_the_certificate_against_the_name_in_the_url(tls_wayback, certificate, host, server_name):
    url = f"https://{host}:{tls_wayback.server.server_address[1]}/wayback/available?url={PAGE}"
    answer = fetch(bounded_session("linkkeeper-test"), "GET", url, 5.0, verify=str(certificate[0]))
    assert answer.status == 200
    assert json.loads(answer.text)["archived_snapshots"]["closest"]["timestamp"] == "20200101000000"
    assert tls_wayback.server_names == [server_name]
    with pytest.raises(CallError, match=r"^SSLError$"):  # the control: the certificate is really checked
        fetch(bounded_session("linkkeeper-test"), "GET", url, 5.0)
