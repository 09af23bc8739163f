"""Retries wait outside the downloader: a host that asks for patience holds back only its own pages.

Measured at the server: when the other host's pages arrive, when each retry arrives, how many requests a
host saw at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from checking import database, json_here
from local_web import closed_port_url, respond, slow_page

ROOT = Path(__file__).resolve().parent.parent


def busy_once(host, path: str, retry_after: str | None = None):
    """503 the first time (with `Retry-After` when given), then a working page."""

    def handler(request):
        if len(host.hits(path)) == 1:
            respond(request, 503, headers={"Retry-After": retry_after} if retry_after else None, title="Busy")
        else:
            respond(request, title="Back again")

    return handler


def busy_pages(host, count: int, retry_after: str | None = None) -> list[str]:
    return [host.route(f"/busy/{n}", busy_once(host, f"/busy/{n}", retry_after)) for n in range(count)]


def checked(config, url: str) -> tuple[str, int]:
    """The state and attempts of the check stored for `url`."""
    query = "select checks.state, checks.attempts from checks join resources on resources.id = checks.resource_id"
    rows = list(database(config).query(query + " where resources.url = ?", [url]))
    assert len(rows) == 1, rows
    return rows[0]["state"], rows[0]["attempts"]


def first_and_second(host, path: str) -> tuple[float, float]:
    first, second = host.hits(path)
    return first.at, second.at


def test_retries_waiting_for_retry_after_do_not_hold_back_another_hosts_pages(web, write_config):
    """Four retries waiting 3 s with a concurrency of 4 used to fill every downloader place: the 40 pages
    of host b then waited those 3 s (b's last page came 3.4 s after a's first 503, after a's retries; now 0.9 s)."""
    busy = busy_pages(web.a, 4, retry_after="3")
    fast = [web.b.route(f"/page/{n}", title=f"page {n}") for n in range(40)]
    config = write_config(busy + fast, concurrency=4, per_host_concurrency=4, canaries=[])
    code, result = json_here(config)
    assert code == 0, result
    assert {url: checked(config, url) for url in busy} == {url: ("ok", 2) for url in busy}
    hits = [first_and_second(web.a, f"/busy/{n}") for n in range(4)]
    first_answer, first_retry = min(first for first, _ in hits), min(second for _, second in hits)
    last_page = max(seen.at for seen in web.b.seen if seen.path.startswith("/page/"))
    assert last_page < first_retry, f"b's last page came {last_page - first_answer:.2f} s after a's first 503"
    assert all(second - first >= 3.0 for first, second in hits)  # Retry-After still honoured


def test_retries_keep_the_per_host_limit_at_the_server(web, write_config):
    """Twenty retries released together, with pages still queued on the same host: never more than 2 at once."""
    busy = busy_pages(web.a, 20, retry_after="1")
    slow = [web.a.route(f"/slow/{n}", lambda request: (time.sleep(0.05), respond(request, title="slow"))) for n in
            range(20)]
    code, result = json_here(write_config(busy + slow, per_host_concurrency=2, canaries=[]))
    assert code == 0, result
    assert len(web.a.seen) >= 60  # 20 busy pages twice, 20 slow pages, and the host's probe if any
    assert web.a.max_in_flight == 2


def crawl(tmp_path: Path, urls: list[str], budget: float, **settings) -> tuple[dict[str, dict], float]:
    """`python -m crawler JOB` with the Scrapy setting LINKKEEPER_RETRY_BUDGET: each URL's check, and seconds taken."""
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "targets": [{"id": n, "url": url} for n, url in enumerate(urls)],
                "settings": {"timeout": 5, **settings},
                "scrapy_settings": {"LINKKEEPER_RETRY_BUDGET": budget},
            }
        )
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "crawler", str(job)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    reported = [json.loads(line) for line in done.stdout.splitlines()]
    return {record["url"]: record for record in reported if record["type"] == "CheckItem"}, seconds


def test_a_retry_due_after_the_budget_once_the_rest_is_done_is_not_sent(web, tmp_path):
    """With a budget of 1 s, a `Retry-After: 30` and a 30 s back-off are not waited for once a 1.5 s page is
    done: each check records the answer it had, with its one attempt and that attempt's time. A 1 s
    `Retry-After` fits the budget and is retried."""
    patient = web.a.route("/patient", busy_once(web.a, "/patient", retry_after="30"))
    quick = web.a.route("/quick", busy_once(web.a, "/quick", retry_after="1"))
    refused = closed_port_url("127.0.0.9")
    slow = web.b.route("/slow", slow_page(1.5))
    checks, seconds = crawl(tmp_path, [patient, quick, refused, slow], budget=1, retries=1, retry_backoff=30)
    assert seconds < 20  # 30 s or more when the run waited for either retry
    assert len(web.a.hits("/patient")) == 1
    assert (checks[patient]["status_code"], checks[patient]["attempts"]) == (503, 1)
    assert checks[patient]["elapsed_ms"] < 1000
    assert (checks[refused]["error_class"], checks[refused]["attempts"]) == ("refused", 1)
    assert checks[refused]["elapsed_ms"] < 1000  # the refusal's time, not the 1.5 s it waited to be reported
    assert (checks[quick]["status_code"], checks[quick]["attempts"]) == (200, 2)
    assert (checks[slow]["status_code"], checks[slow]["attempts"]) == (200, 1)


def test_a_retry_due_within_the_budget_is_sent_when_due(web, tmp_path):
    """Politeness first: a 2 s `Retry-After` at the end of a run, under a 10 s budget, is waited out in full,
    and no longer: a retry left for the engine to find would wait for its heartbeat, every 5 s."""
    busy = web.a.route("/busy", busy_once(web.a, "/busy", retry_after="2"))
    checks, _ = crawl(tmp_path, [busy], budget=10, retries=1)
    first, second = first_and_second(web.a, "/busy")
    assert 2.0 <= second - first < 4.0
    assert (checks[busy]["status_code"], checks[busy]["attempts"]) == (200, 2)
