"""An IPv6 literal is checked like any host: listed, or redirected to, over a real server on ::1, and held to
its per-host limit at the server. Scrapy's default resolver is IPv4 only (crawler/settings.py)."""

from __future__ import annotations

import socket

import pytest
import yaml

from checking import database, json_here
from local_web import Host, LocalWeb, ipv6_loopback, redirect, respond, slow_page

pytestmark = pytest.mark.skipif(ipv6_loopback() is not None, reason=ipv6_loopback() or "")

PAGE = "<h1>Digital government toolkit</h1><p>" + "Chapters on services, data and skills. " * 20 + "</p>"


def closed_ipv6_url() -> str:
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as released:
        released.bind(("::1", 0))
        port = released.getsockname()[1]
    return f"http://[::1]:{port}/x"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ipv6")
    six = Host("::1")
    six.start()
    try:
        with LocalWeb(first=60) as web:
            web.a.route("/canary", lambda request: respond(request, 204))
            urls = {
                "listed": six.route("/toolkit", title="A page on IPv6", body=PAGE),
                "redirected": web.a.route("/to-six", redirect(302, six.route("/moved", title="Moved", body=PAGE))),
                "refused": web.a.route("/to-closed", redirect(302, closed_ipv6_url())),
                **{f"slow{n}": six.route(f"/slow/{n}", slow_page(0.15)) for n in range(8)},
            }
            config = folder / "resources.yml"
            settings = {
                "timeout": 3,
                "retries": 0,
                "per_host_concurrency": 2,
                "concurrency": 16,
                "canaries": [web.a.url + "/canary"],
                "archive": {"enabled": False},
            }
            resources = [{"url": url, "title": name} for name, url in urls.items()]
            config.write_text(yaml.safe_dump({"settings": settings, "resources": resources}))
            code, _ = json_here(config)
            rows = {
                row["name"]: row
                for row in database(config).query(
                    "select checks.*, resources.title as name from checks"
                    " join resources on resources.id = checks.resource_id"
                )
            }
            yield {"code": code, "checks": rows, "six": six, "urls": urls}
    finally:
        six.stop()


def test_a_listed_ipv6_literal_is_fetched(run):
    row = run["checks"]["listed"]
    assert (row["state"], row["finding"], row["status_code"]) == ("ok", "ok", 200), row["reason"]
    assert row["title"] == "A page on IPv6"
    assert len(run["six"].hits("/toolkit")) == 1


def test_a_redirect_to_an_ipv6_literal_is_followed(run):
    row = run["checks"]["redirected"]
    assert (row["state"], row["status_code"], row["final_url"]) == ("ok", 200, run["six"].url + "/moved")


def test_a_redirect_to_a_closed_port_on_an_ipv6_literal_is_refused_not_a_missing_host(run):
    row = run["checks"]["refused"]
    assert (row["state"], row["error_class"]) == ("at_risk", "refused"), row["reason"]


def test_an_ipv6_host_is_held_to_its_per_host_limit_at_the_server(run):
    assert all(run["checks"][f"slow{n}"]["state"] == "ok" for n in range(8))
    assert run["six"].max_in_flight == 2
