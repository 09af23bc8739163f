"""Refusal is not absence, over several real runs of check-links on one SQLite file: a 403 becomes evidence
that a page is gone only for a link that answered with its content before, and only when a path that
cannot exist is refused the same way."""

from __future__ import annotations

import itertools
import time

from sqlite_utils.migrations import Migrations

from checking import check_here, database, health
from linkkeeper.clock import now_iso
from local_web import respond

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EVERY_DAY = {"dead_after_failures": 2, "dead_after_days": 0}
_REQUEST_IDS = itertools.count(0x4442587FB7D0A2F9)


def access_denied(request) -> None:
    """An object store's refusal of a key it does not hold, a new request id each time, as S3 answers."""
    request_id = f"{next(_REQUEST_IDS):X}"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>'
        f"<RequestId>{request_id}</RequestId><HostId>{request_id}+{request_id}=</HostId></Error>"
    )
    respond(request, 403, body, headers={"Content-Type": "application/xml", "Server": "AmazonS3"})


def serve_pdf(request) -> None:
    respond(request, 200, PDF, headers={"Content-Type": "application/pdf"})


def test_a_key_removed_from_an_object_store_after_serving_for_months_becomes_dead(web, write_config):
    store = web.b
    store.fallback = access_denied
    url = store.route("/reports/egm-2019.pdf", serve_pdf)
    config = write_config([url], health=EVERY_DAY)
    assert check_here(config).returncode == 0
    assert health(config)[url]["state"] == "ok"
    store.route("/reports/egm-2019.pdf", access_denied)
    check_here(config)
    done = check_here(config)
    row = health(config)[url]
    assert (done.returncode, row["state"]) == (1, "dead"), row["reason"]
    assert "AccessDenied" in row["reason"] and "a path that cannot exist" in row["reason"]


def test_an_object_stores_refusal_on_first_contact_never_makes_a_link_dead(web, write_config):
    store = web.b
    store.fallback = access_denied
    url = store.route("/reports/never-seen.pdf", access_denied)
    config = write_config([url], health=EVERY_DAY)
    for _ in range(3):
        assert check_here(config).returncode == 0
    row = health(config)[url]
    assert (row["state"], row["finding"]) == ("unknown", "forbidden")
    assert "first contact" in row["reason"]


def test_a_page_refused_while_missing_paths_get_404_stays_unknown_after_it_served(web, write_config):
    url = web.a.route("/intranet/report", lambda request: respond(request, 200, title="Annual report"))
    config = write_config([url], health=EVERY_DAY)
    check_here(config)
    web.a.route("/intranet/report", lambda request: respond(request, 403, title="403 Forbidden"))
    for _ in range(2):
        assert check_here(config).returncode == 0
    row = health(config)[url]
    assert (row["state"], row["finding"]) == ("unknown", "forbidden")
    assert "404 Not Found" in row["reason"]


def test_when_a_link_last_served_its_content_is_kept_on_the_resource(web, write_config):
    url = web.a.route("/toolkit", lambda request: respond(request, 200, title="Toolkit"))
    config = write_config([url])
    check_here(config)
    first = database(config)["resources"].get(1)["served_at"]
    web.a.route("/toolkit", lambda request: respond(request, 404, title="Not Found"))
    while now_iso() <= first:  # times are kept to the second: the second run's must be another
        time.sleep(0.05)
    check_here(config)
    resource = database(config)["resources"].get(1)
    assert first and resource["served_at"] == first and resource["last_checked"] > first


def test_a_database_from_before_served_at_takes_it_from_the_history_it_kept(web, write_config):
    url = web.a.route("/toolkit", lambda request: respond(request, 200, title="Toolkit"))
    config = write_config([url])
    check_here(config)
    db = database(config)
    served = db["resources"].get(1)["served_at"]
    db["resources"].transform(drop={"served_at"})
    db.execute(f"delete from [{Migrations.migrations_table}] where name = 'm005_served_at'")
    web.a.route("/toolkit", lambda request: respond(request, 403, title="403 Forbidden"))
    check_here(config)
    assert database(config)["resources"].get(1)["served_at"] == served
