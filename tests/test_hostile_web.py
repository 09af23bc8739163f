"""check-links against servers that attack the checker: endless headers, redirects out of the web, bytes meant
for a terminal, markup built to stall a parser, redirect loops, and traffic to anywhere but the links."""

from __future__ import annotations

import contextlib
import re
import threading
import time

import pytest

from checking import check_here, database, run_check
from local_web import ConnectionCounter, peak_memory_of_children, redirect, respond

MB = 1024 * 1024
# The hostile server stops on its own after this much, or after HOSTILE_SECONDS: every test ends.
HOSTILE_BYTES = 200 * MB
HOSTILE_SECONDS = 20


def checks(config) -> dict[str, dict]:
    """The `checks` rows of the run, by URL."""
    return {row["url"]: row for row in database(config).query("select * from checks")}


def endless_headers(host, start: bytes, line: bytes, finished: threading.Event, took: list[float] | None = None):
    """`HTTP/1.1 200 OK`, `start`, then `line` again and again, until the client hangs up (`took` gets how long
    that took, as the server saw it)."""
    batch = line * (64 * 1024 // len(line))

    def handler(request):
        request.close_connection = True  # the client hangs up mid-answer: read no next request
        request.connection.settimeout(HOSTILE_SECONDS)
        started = time.monotonic()
        deadline = started + HOSTILE_SECONDS
        try:
            with contextlib.suppress(TimeoutError):
                request.wfile.write(b"HTTP/1.1 200 OK\r\n" + start)
                while host.bytes_sent < HOSTILE_BYTES and time.monotonic() < deadline:
                    request.wfile.write(batch)
                    with host.lock:
                        host.bytes_sent += len(batch)
        finally:
            if took is not None:
                took.append(time.monotonic() - started)
            finished.set()

    return handler


def weighing_the_crawler(finished: threading.Event, weights: list[int]):
    """A page that answers once `finished` is set, weighing the crawler first: it cannot have exited yet."""

    def handler(request):
        finished.wait(HOSTILE_SECONDS + 5)
        weights.append(peak_memory_of_children())
        respond(request, title="A page checked in the same run")

    return handler


@pytest.mark.parametrize(
    ("start", "line"),
    [
        (b"", b"X-Filler: 0123456789\r\n"),
        (b"X-Folded: start\r\n", b" " + b"folded into the same header " * 100 + b"\r\n"),
        (b"X-Endless: ", b"a line that never ends "),
    ],
    ids=["many-short-headers", "one-header-folded-without-end", "one-line-without-end"],
)
def test_headers_that_never_end_fail_the_link_at_once_without_filling_memory(web, write_config, start, line):
    finished, weights, took = threading.Event(), [], []
    endless = web.c.route("/endless", endless_headers(web.c, start, line, finished, took))
    other = web.b.route("/other", weighing_the_crawler(finished, weights))
    config = write_config([endless, other], timeout=HOSTILE_SECONDS + 5, retries=0)
    done = run_check(config, timeout=60)
    rows = checks(config)
    assert done.returncode == 0, done.stderr
    assert (rows[endless]["error_class"], rows[other]["finding"]) == ("connection", "ok")
    assert "headers were too large" in rows[endless]["error"]
    # timed at the server, from the first byte to the hang-up: a busy machine's slow start does not count
    assert took[0] < 5, "the crawler stopped reading, long before its timeout"
    assert web.c.bytes_sent < 16 * MB, "the crawler hung up after a bounded read"
    assert weights[0] < 250 * MB, f"the crawler's peak memory was {weights[0] / MB:.0f} MB"


def cookie_gate(name: str):
    """A page that sets a cookie and redirects to itself until the cookie comes back, as session sites do."""

    def handler(request):
        if f"{name}=1" in request.headers.get("Cookie", ""):
            respond(request, title="Welcome back")
        else:
            respond(request, 302, headers={"Set-Cookie": f"{name}=1; Path=/", "Location": request.path})

    return handler


def test_a_page_that_needs_its_own_cookie_to_stop_redirecting_is_ok(web, write_config):
    url = web.b.route("/session", cookie_gate("session"))
    config = write_config([url])
    assert check_here(config).returncode == 0
    row = checks(config)[url]
    assert (row["finding"], row["status_code"], row["final_url"]) == ("ok", 200, url)
    assert [hit.headers.get("Cookie") for hit in web.b.hits("/session")] == [None, "session=1"]


def test_a_run_contacts_only_its_links_even_to_judge_a_cookie(web, write_config, tmp_path):
    """Every proxy variable points at a counter; NO_PROXY lists the loopback hosts of the links and canary.

    Scrapy sends each request through the environment's proxy unless NO_PROXY names its host, so without it
    the links themselves would reach the counter. With it, only traffic to anywhere else does: tldextract's
    download of the Public Suffix List, which an empty TLDEXTRACT_CACHE would otherwise start.
    """
    url = web.b.route("/cookie", headers={"Set-Cookie": "visited=1; Path=/"}, title="A page that sets a cookie")
    config = write_config([url])
    hosts = ",".join(host.address for host in web.hosts)
    with ConnectionCounter() as proxy:
        proxies = dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"), proxy.url)
        empty_cache = tmp_path / "tldextract-cache"
        empty_cache.mkdir()
        env = {**proxies, "NO_PROXY": hosts, "no_proxy": hosts, "TLDEXTRACT_CACHE": str(empty_cache)}
        done = run_check(config, env=env)
    assert done.returncode == 0, done.stderr
    assert checks(config)[url]["finding"] == "ok"
    assert proxy.connections == 0


OUT_OF_THE_WEB = {
    "file": "file:///etc/passwd",
    "ftp": "ftp://{counter}/pub/report.pdf",
    "data": "data:text/html;base64,PHRpdGxlPkZvcmdlZDwvdGl0bGU+",  # <title>Forged</title>
    "javascript": "javascript:alert(1)",
}


def test_a_redirect_out_of_the_web_is_an_unsupported_scheme_named_and_never_opened(web, write_config):
    """One run, one redirect per scheme."""
    with ConnectionCounter() as counter:
        at_counter = counter.url.removeprefix("http://")
        targets = {name: target.format(counter=at_counter) for name, target in OUT_OF_THE_WEB.items()}
        urls = {name: web.b.route(f"/out/{name}", redirect(301, target)) for name, target in targets.items()}
        config = write_config(list(urls.values()))
        assert check_here(config).returncode == 0
    rows = checks(config)
    for name, url in urls.items():
        row = rows[url]
        judged = (row["finding"], row["error_class"], row["state"], row["title"])
        assert judged == ("unsupported-scheme", "unsupported-scheme", "at_risk", None), name
        assert f"'{targets[name]}'" in row["detail"], name
        assert len(web.b.hits(f"/out/{name}")) == 1, name
    assert counter.connections == 0


def test_a_live_page_refreshing_to_a_non_web_target_is_judged_as_the_page_it_is(web, write_config):
    """Browsers do not follow such a refresh: the reader sees the page that carries it. One run, one page per
    target."""
    urls = {}
    for name, target in {"javascript": "javascript:void(0)", "mailto": "mailto:office@example.org"}.items():
        page = (
            f'<html><head><meta http-equiv="refresh" content="0; url={target}"><title>E-government toolkit</title>'
            "</head><body><h1>E-government toolkit</h1><p>Guides, checklists and case studies for ministries"
            " planning digital public services in small island states.</p></body></html>"
        )
        urls[name] = web.b.route(f"/page/{name}", lambda request, page=page: respond(request, body=page))
    config = write_config(list(urls.values()))
    assert check_here(config).returncode == 0
    rows = checks(config)
    assert {name: (rows[url]["finding"], rows[url]["state"]) for name, url in urls.items()} == dict.fromkeys(
        urls, ("ok", "ok")
    )


# Clear the screen, retitle the window, and C0, DEL, C1 and bidirectional-override characters.
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x00\x08\x7f\x9b31m\u202e"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e]")


def hostile(status: int, headers: dict[str, str] | None = None, title: str = f"Title{ESCAPES}", body: str = ""):
    """An answer whose reason phrase, headers and title carry terminal escapes and control characters."""

    def handler(request):
        html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>".encode()
        fields = {"Content-Type": f"text/html; charset=utf-8; x={ESCAPES}", **(headers or {})}
        head = [f"HTTP/1.1 {status} Reason{ESCAPES}", *(f"{name}: {value}" for name, value in fields.items())]
        head.append(f"Content-Length: {len(html)}")
        request.wfile.write("\r\n".join([*head, "", ""]).encode() + html)

    return handler


def garbled_status_line(request):
    request.wfile.write(f"HTTP/1.1 2x0 {ESCAPES}\r\n\r\n".encode())


def test_nothing_a_server_sends_reaches_the_database_or_the_terminal_as_control_characters(web, write_config):
    b = web.b
    b.route("/landing\x1b[2J", hostile(200))
    urls = [
        b.route("/page", hostile(200)),
        b.route("/missing", hostile(404)),
        b.route("/firewall", hostile(403, {"Server": f"cloudflare{ESCAPES}"})),
        b.route("/firewall-header", hostile(403, {f"X-Akamai-{ESCAPES}": "1"})),
        b.route("/login", hostile(401, {"WWW-Authenticate": f"{ESCAPES}Basic"})),
        b.route("/challenge", hostile(403, title=f"Just a moment...{ESCAPES}")),
        b.route("/sign-in", hostile(200, title=f"Sign in{ESCAPES}", body='<input type="password">')),
        b.route("/off-the-web", hostile(301, {"Location": f"javascript:{ESCAPES}"})),
        b.route("/redirect", hostile(302, {"Location": "/landing\x1b[2J"})),
        b.route("/garbled", garbled_status_line),
    ]
    config = write_config(urls, retries=0)
    done = run_check(config)
    stored = [(url, name, value) for url, row in checks(config).items() for name, value in row.items()]
    assert len(stored) > 0 and set(urls) <= set(checks(config))
    assert [item for item in stored if isinstance(item[2], str) and CONTROL.search(item[2])] == []
    assert [line for line in (done.stdout + done.stderr).splitlines() if CONTROL.search(line)] == []


PATHOLOGICAL_MARKUP = {
    "unclosed-tags-in-a-2-mb-title": "<title>" + "<b><i>word " * 200_000,
    "100k-nested-divs": "<div>" * 100_000 + "deep",
    "a-500-kb-title": f"<title>{'t' * 500_000}</title><p>short</p>",
    "h1-without-end": "<h1" * 700_000,
    "200k-headings": "<h1>a " * 200_000,
    "200k-password-fields": '<input type="password">' * 200_000,
    "4-mb-of-paragraphs": "<p>words and more words " * 170_000,
}


def test_pathological_markup_cannot_stall_the_crawl(web, write_config):
    urls = [
        web.c.route(f"/{name}", body=markup.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
        for name, markup in PATHOLOGICAL_MARKUP.items()
    ]
    other = web.b.route("/other", title="A page on another host")
    config = write_config([*urls, other], max_body_bytes=4 * MB, retries=0)
    started = time.monotonic()
    done = run_check(config, timeout=120)
    seconds = time.monotonic() - started
    rows = checks(config)
    assert done.returncode == 0, done.stderr
    assert (rows[other]["finding"], [rows[url]["error_class"] for url in urls]) == ("ok", [None] * len(urls))
    assert seconds < 20


def test_a_redirect_loop_at_the_highest_max_redirects_ends_quickly_as_too_many_redirects(web, write_config):
    loop = web.b.route("/loop", redirect(302, "/loop"))
    config = write_config([loop], max_redirects=50)
    started = time.monotonic()
    assert check_here(config).returncode == 0
    seconds = time.monotonic() - started
    row = checks(config)[loop]
    assert (row["finding"], row["state"], len(web.b.hits("/loop"))) == ("too-many-redirects", "at_risk", 51)
    assert seconds < 10
