"""Notifications over real runs: a link dies, recovers, the target is down, and what the targets receive (a JSON
webhook and a real SMTP server on loopback, reached through Apprise URLs). Runs are made in this process with the
crawler's reports replayed (tests/recorded.py); what cron sees of a run whose target is down is a real process's."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from checking import check_here, database, linkkeeper_here, run_check
from local_notify import Mailbox, Silent, Webhook
from local_web import closed_port_url

pytestmark = pytest.mark.usefixtures("replayed_crawls")

DIES_AT_ONCE = {"dead_after_failures": 1, "dead_after_days": 0}
SECRET = "s3cr3t-Token-4711"


@pytest.fixture
def hook():
    with Webhook() as webhook:
        yield webhook


def _dying(web, write_config, targets: list[str], **settings):
    """A list of one page that answers; `kill()` makes it answer 404 from then on."""
    url = web.a.route("/page", title="A page")
    config = write_config(
        [{"url": url, "title": "The toolkit", "section": "Tools"}], retries=0, health=DIES_AT_ONCE, notify=targets,
        **settings,
    )
    return url, config, lambda: web.a.route("/page", status=404)


def test_a_run_that_makes_a_link_dead_sends_one_message_naming_it(web, write_config, hook):
    url, config, kill = _dying(web, write_config, [hook.url()])
    assert check_here(config).returncode == 0
    kill()
    assert check_here(config).returncode == 1
    assert len(hook.messages) == 1
    message = hook.messages[0]
    assert message["title"].startswith("1 link died — ")
    assert url in message["message"] and "The toolkit (Tools)" in message["message"]


def test_runs_that_change_nothing_send_nothing(web, write_config, hook):
    _, config, _ = _dying(web, write_config, [hook.url()])
    for _ in range(3):
        assert check_here(config).returncode == 0
    assert hook.posts == []


def test_a_link_that_recovers_is_said_recovered(web, write_config, hook):
    url, config, kill = _dying(web, write_config, [hook.url()])
    check_here(config)
    kill()
    check_here(config)
    web.a.route("/page", title="A page")
    assert check_here(config).returncode == 0
    assert [m["title"].split(" — ")[0] for m in hook.messages] == ["1 link died", "1 recovered"]
    assert url in hook.messages[1]["message"]


def test_a_link_newly_at_risk_is_not_told_unless_notify_on_names_it(web, write_config, hook):
    url = web.a.route("/page", title="A page")
    targets = [hook.url()]
    quiet = write_config([url], retries=0, notify=targets)
    check_here(quiet)
    web.a.route("/page", status=500)
    check_here(quiet)
    assert hook.posts == []
    told = write_config([url], retries=0, notify=targets, notify_on=["newly_at_risk"])
    web.a.route("/page", title="A page")
    check_here(told)
    web.a.route("/page", status=500)
    check_here(told)
    assert [m["title"].split(" — ")[0] for m in hook.messages] == ["1 newly at risk"]


def test_the_first_run_of_a_list_sends_one_short_overview(web, write_config, hook):
    urls = [web.a.route(f"/gone{n}", status=404) for n in range(25)]
    config = write_config(urls, retries=0, health=DIES_AT_ONCE, notify=[hook.url()])
    assert check_here(config).returncode == 1
    assert len(hook.messages) == 1
    message = hook.messages[0]
    assert message["title"].startswith("First check: 25 links died")
    assert "and 5 more" in message["message"]
    assert sum(url in message["message"] for url in urls) == 20


def test_a_real_smtp_server_receives_the_mail_naming_the_dead_link(web, write_config):
    with Mailbox() as mailbox:
        url, config, kill = _dying(web, write_config, [mailbox.url])
        check_here(config)
        kill()
        check_here(config)
    assert len(mailbox.mail) == 1
    mail = mailbox.mail[0]
    assert mail["Subject"].startswith("1 link died — ") and mail["To"] == "team@example.org"
    assert url in mail.get_body(("plain",)).get_content()


def test_a_message_the_target_refused_is_sent_by_the_next_run_and_marked_sent(web, write_config, hook):
    _, config, kill = _dying(web, write_config, [hook.url()])
    check_here(config)
    kill()
    hook.status = 500
    refused = check_here(config)
    assert refused.returncode == 1
    assert "failed" in refused.stderr and "The next run tries again." in refused.stderr
    hook.status = 200
    check_here(config)
    assert [m["title"].split(" — ")[0] for m in hook.messages] == ["1 link died", "1 link died"]
    rows = list(database(config).query("select status, attempts from notifications"))
    assert rows == [{"status": "sent", "attempts": 2}]


def test_a_target_that_is_down_changes_no_exit_status_and_prints_no_traceback(web, write_config):
    _, config, kill = _dying(web, write_config, [closed_port_url().replace("http://", "json://")])
    assert run_check(config).returncode == 0
    kill()
    done = run_check(config)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line] == [
        line for line in done.stderr.splitlines() if line.startswith("Notification to json://127.0.0.1:")
    ]
    assert len(done.stderr.splitlines()) == 1


def test_a_target_that_never_answers_is_given_up_at_the_deadline(web, write_config, monkeypatch):
    monkeypatch.setattr("linkkeeper.notify.send.SEND_SECONDS", 1.0)
    with Silent() as silent:
        _, config, kill = _dying(web, write_config, [silent.url])
        check_here(config)
        kill()
        started = time.monotonic()
        done = check_here(config)
    assert done.returncode == 1
    assert time.monotonic() - started < 10
    assert "Notification to json://127.0.0.1:" in done.stderr


def test_a_process_that_sent_to_a_silent_target_ends_at_the_deadline_whatever_the_urls_timeouts():
    """A URL may ask for a read timeout of a minute (`rto=60`): the thread Apprise leaves sending after the deadline
    would hold the process (cron) that long."""
    script = (
        "import sys, linkkeeper.notify.send as s\n"
        "from linkkeeper.config.targets import target\n"
        "s.SEND_SECONDS = 1.0\n"
        "print(s.send(target(sys.argv[1]), 'title', 'body', 'body'))\n"
    )
    with Silent() as silent:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", script, silent.url + "?rto=60"], capture_output=True, text=True, timeout=60
        )
    assert time.monotonic() - started < 10
    assert done.returncode == 0 and done.stdout.strip() != "None"


def test_a_token_in_a_target_reaches_neither_the_database_nor_stderr_nor_json(web, write_config, hook, monkeypatch):
    monkeypatch.setenv("LINKKEEPER_NOTIFY", hook.url(secret=SECRET))
    _, config, kill = _dying(web, write_config, [])
    check_here(config)
    kill()
    hook.status = 401
    done = check_here(config, "--json")
    assert "Notification to json://linkkeeper:****@127.0.0.1" in done.stderr
    assert SECRET not in done.stdout + done.stderr
    assert SECRET.encode() not in (config.parent / "linkkeeper.db").read_bytes()


def test_the_urls_of_the_environment_and_of_the_notify_file_are_targets_too(web, write_config, tmp_path, monkeypatch):
    with Webhook() as other:
        listed = tmp_path / "elsewhere" / "notify.txt"
        listed.parent.mkdir()
        listed.write_text(f"# the team's webhook\n{other.url('/from-file')}\n")
        monkeypatch.setenv("LINKKEEPER_NOTIFY", other.url("/from-env"))
        _, config, kill = _dying(web, write_config, [], notify_file=str(listed))
        check_here(config)
        kill()
        check_here(config)
    assert sorted(path for path, _ in other.posts) == ["/from-env", "/from-file"]


@pytest.mark.parametrize(
    ("settings", "where", "says"),
    [
        (
            {"notify_on": ["newly_dead", "recoverd"]},
            "- recoverd",
            "setting 'notify_on': unknown change 'recoverd' (did you mean 'recovered'?)",
        ),
        (
            {"notify": [f"tgram://{SECRET}"]},
            "- tgram:",
            "notify #1: Apprise cannot use tgram://… (Unparseable Telegram URL)",
        ),
    ],
)
def test_a_bad_notification_setting_is_one_line_naming_its_line_and_no_secret(write_config, settings, where, says):
    config = write_config(["http://127.0.0.1:9/"], **settings)
    line = next(n for n, text in enumerate(config.read_text().splitlines(), 1) if text.strip().startswith(where))
    done = check_here(config)
    assert done.returncode == 2
    assert done.stderr == f"Error: {config}:{line}: {says}\n"
    assert SECRET not in done.stderr


def test_a_url_of_the_environment_apprise_cannot_use_is_named_by_its_place_not_its_secret(write_config, monkeypatch):
    monkeypatch.setenv("LINKKEEPER_NOTIFY", f"json://127.0.0.1:1/ok tgram://{SECRET}")
    done = check_here(write_config(["http://127.0.0.1:9/"]))
    assert done.returncode == 2
    assert "$LINKKEEPER_NOTIFY #2: Apprise cannot use tgram://…" in done.stderr
    assert SECRET not in done.stderr


def test_notify_test_sends_each_target_a_message_and_exits_0_when_all_were_sent(write_config, hook):
    config = write_config(["http://127.0.0.1:9/"], notify=[hook.url("/one"), hook.url("/two")])
    done = linkkeeper_here("notify", "--config", str(config), "--test")
    assert done.returncode == 0
    assert [path for path, _ in hook.posts] == ["/one", "/two"]
    assert done.stdout.splitlines() == [f"sent: {hook.url('/one')}", f"sent: {hook.url('/two')}"]


def test_notify_test_says_which_target_failed_and_why_and_exits_1(write_config, hook):
    down = closed_port_url().replace("http://", "json://")
    config = write_config(["http://127.0.0.1:9/"], notify=[hook.url(), down])
    done = linkkeeper_here("notify", "--config", str(config), "--test")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"sent: {hook.url()}", f"failed: {down}: A Connection error occurred sending JSON notification to 127.0.0.1."
    ]


def test_a_run_that_fails_is_told_with_why(web, write_config, hook, monkeypatch):
    config = write_config([web.a.route("/page", title="A page")], notify=[hook.url()])
    monkeypatch.setattr("cli.crawl", lambda targets, *args, **server: iter(()))  # a crawler that ends reporting nothing
    done = check_here(config)
    assert done.returncode == 5
    assert [m["title"].split(" — ")[0] for m in hook.messages] == ["The run failed"]
    assert "the crawler ended without a result for 1 of 1 links" in hook.messages[0]["message"]


def test_a_network_down_is_told_only_when_notify_on_names_it(web, write_config, hook):
    url = web.a.route("/page", title="A page")
    offline = {"canaries": [closed_port_url("127.0.0.30")], "retries": 0}
    assert check_here(write_config([url], notify=[hook.url()], **offline)).returncode == 3
    assert hook.posts == []
    assert check_here(write_config([url], notify=[hook.url()], notify_on=["network_down"], **offline)).returncode == 3
    assert [m["title"].split(" — ")[0] for m in hook.messages] == ["The network was down"]


def test_outside_text_in_a_message_is_shown_as_markdown_never_run_as_it():
    from linkkeeper.notify.changes import Event
    from linkkeeper.notify.digest import digest

    event = Event("newly_dead", "http://example.org/a_(b)", "[click](http://evil.example/)", "*Toolkit* <img>")
    markdown = digest("List", [event], None).markdown
    assert "\\*Toolkit\\* \\<img\\>" in markdown
    assert "\\[click\\](http://evil.example/)" in markdown
    assert "[http://example.org/a\\_(b)](http://example.org/a_%28b%29)" in markdown


def test_a_notify_file_that_cannot_be_read_is_one_line_naming_it(write_config, tmp_path):
    config = write_config(["http://127.0.0.1:9/"], notify_file="missing/notify.txt")
    done = check_here(config)
    assert done.returncode == 2
    assert done.stderr == f"Error: {tmp_path}/missing/notify.txt: cannot read the file of notification URLs" \
        " (FileNotFoundError)\n"


def test_notify_lists_the_targets_with_their_secrets_hidden(write_config, hook, monkeypatch):
    monkeypatch.setenv("LINKKEEPER_NOTIFY", hook.url("/env", secret=SECRET))
    done = linkkeeper_here("notify", "--config", str(write_config(["http://127.0.0.1:9/"], notify=[hook.url()])))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "Sent for: newly_dead, recovered, archive_lost, run_failed.",
        f"  {hook.url()}",
        f"  {hook.url('/env', secret='****')}",
    ]
    assert hook.posts == []


def test_a_dead_link_without_an_archived_copy_is_told_lost_and_one_with_a_copy_gives_it(web, wayback, archiving, hook):
    lost = web.a.route("/never-archived", status=410)
    kept = web.a.route("/archived", status=410)
    wayback.add_capture(kept, "20200101000000")
    config = archiving([lost, kept], health=DIES_AT_ONCE, notify=[hook.url()])
    assert check_here(config).returncode == 1
    assert len(hook.messages) == 1
    message = hook.messages[0]
    assert message["title"].startswith("First check: 2 links died, 1 lost")
    assert f"archived copy: {wayback.base_url}/web/20200101000000/{kept}" in message["message"]
    assert f"Lost (no archived copy) (1):\n  {lost}" in message["message"]
