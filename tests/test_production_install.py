"""A box that only checks links: `pip install .` with no extras, in a fresh virtual environment, and every
command started from that environment's own console scripts, against loopback servers only.

The environment is built once for the module, from a copy of the clone (what git lists, tests aside): a build in
the clone itself would write its `build/` folder there, and a stale one would put modules deleted since into the
wheel. pip runs with the machine's configuration (its indexes, wheels and cache), as a production box's would;
`--upgrade-deps` brings a current pip, which installs the package in 30 s here where Python 3.11's own (23.2) took
50. The environment lives in /dev/shm when there is one: removing its 12,000 files from this machine's disk took
8 s and more. Every command runs in a folder of its own, so that no `python -m` below it imports the clone's code
instead of the installed package's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from checking import DEAD_AT_ONCE, FAST_ARCHIVE, ROOT, copy_of_the_clone
from local_dashboard import DEADLINE, dashboard, datasette_processes
from local_dns import LocalDNS
from local_redis import local_redis
from local_wayback import LocalWayback
from local_web import LocalWeb

pytestmark = pytest.mark.long

INSTALL_SECONDS = 600  # the virtual environment and `pip install .`: about a minute here, most of it resolving
RUN_SECONDS = 120  # any one command
# pip yields the processors to the tests that run meanwhile, many of which keep time; it has a deadline only.
NICE = ["nice", "-n", "10"] if shutil.which("nice") else []
# The machine's environment as the suite started, before any test's fixtures changed $HOME: pip reads its
# configuration (indexes, wheels) and keeps its cache under the real one.
MACHINE = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


@dataclass(frozen=True)
class Production:
    bin: Path  # the virtual environment's scripts: python, pip, check-links, linkkeeper


def _pip_configuration(python: str) -> list[str]:
    done = subprocess.run(
        [python, "-m", "pip", "config", "list"], env=MACHINE, capture_output=True, text=True, timeout=60, check=True
    )
    return sorted(done.stdout.splitlines())


@pytest.fixture(scope="module")
def production() -> Iterator[Production]:
    memory = Path("/dev/shm")
    where = memory if memory.is_dir() and os.access(memory, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="linkkeeper-production-", dir=where) as folder:
        source = copy_of_the_clone(Path(folder, "clone"), leave_out=("tests", "bench"))
        venv = Path(folder, "venv")
        created = subprocess.run(
            [*NICE, sys.executable, "-m", "venv", "--upgrade-deps", venv],
            env=MACHINE, cwd=folder, capture_output=True, text=True, timeout=INSTALL_SECONDS,
        )
        assert created.returncode == 0, created.stderr[-5000:]
        python = str(venv / "bin" / "python")
        assert _pip_configuration(python) == _pip_configuration(sys.executable)
        installed = subprocess.run(
            [*NICE, python, "-m", "pip", "install", "--quiet", str(source)],
            env=MACHINE, cwd=folder, capture_output=True, text=True, timeout=INSTALL_SECONDS,
        )
        assert installed.returncode == 0, installed.stderr[-5000:]
        yield Production(venv / "bin")


def run(production: Production, program: str, *args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = RUN_SECONDS) -> subprocess.CompletedProcess:
    """One of the installation's commands, in `cwd`, with the test's environment (its own $HOME); never a
    traceback, whatever its exit status."""
    done = subprocess.run(
        [str(production.bin / program), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def write_list(folder: Path, urls: list[str], **settings) -> Path:
    """A resources.yml of `urls` in `folder`: fast, its canary on the local web."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "resources.yml"
    merged = {"timeout": 3, "retries": 1, "retry_backoff": 0.05, **settings}
    resources = [{"url": url, "title": f"Resource {n}"} for n, url in enumerate(urls)]
    config.write_text(yaml.safe_dump({"settings": merged, "resources": resources}, sort_keys=False))
    return config


@dataclass(frozen=True)
class Checked:
    config: Path
    ok: str
    gone: str
    done: subprocess.CompletedProcess
    wayback_requests: int


@pytest.fixture(scope="module")
def loopback() -> Iterator[LocalWeb]:
    with LocalWeb(first=40) as web:
        web.a.route("/canary", status=204)
        web.a.route("/ok", title="A page that is here", body="<p>Here it is, " + "word " * 200 + "</p>")
        web.a.route("/gone", status=404, title="Not Found")
        yield web


@pytest.fixture(scope="module")
def checked(production, loopback, tmp_path_factory) -> Iterator[Checked]:
    """One `check-links --json` run of the installation, the archive step included, against a local web, a
    local DNS (a `mailto:` link) and a local Wayback Machine; what it stored is the other commands' history."""
    folder = tmp_path_factory.mktemp("checked")
    ok, gone = loopback.a.url + "/ok", loopback.a.url + "/gone"
    with LocalDNS({"mail.test": {"MX": ["10 mx.mail.test."]}}) as dns, LocalWayback() as wayback:
        config = write_list(
            folder / "list",
            [ok, gone, "mailto:someone@mail.test"],
            canaries=[loopback.a.url + "/canary"],
            nameservers=[dns.nameserver],
            health=DEAD_AT_ONCE,
            archive=FAST_ARCHIVE,
        )
        done = run(production, "check-links", "--config", str(config), "--json", cwd=folder,
                   env={"HOME": str(folder), "LINKKEEPER_WAYBACK_URL": wayback.base_url})
        yield Checked(config, ok, gone, done, len(wayback.requests))


def test_the_installation_holds_the_package_and_nothing_of_the_dev_extra(production, tmp_path):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(requirement) for requirement in project["dependencies"]}
    dev_only = {_name(requirement) for requirement in project["optional-dependencies"]["dev"]} - runtime
    listed = run(production, "python", "-m", "pip", "list", "--format", "json", cwd=tmp_path)
    installed = {_name(entry["name"]) for entry in json.loads(listed.stdout)}
    assert runtime <= installed
    assert installed & dev_only == set()

    where = run(production, "python", "-c", "import cli, crawler, linkkeeper; print(crawler.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(production.bin.parent), where.stdout


def test_every_module_of_the_project_is_installed(production, tmp_path):
    """A package left out of pyproject's list installs nothing: `linkkeeper repair` once came without its own."""
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for folder in ("linkkeeper", "crawler", "archive", "dashboard")
        for path in sorted((ROOT / folder).rglob("*.py"))
    ]
    script = "import importlib, sys; print('\\n'.join(importlib.import_module(m).__file__ for m in sys.argv[1:]))"
    found = run(production, "python", "-c", script, *modules, cwd=tmp_path).stdout.split()
    assert len(found) == len(modules)
    assert [path for path in found if not Path(path).is_relative_to(production.bin.parent)] == []


def _name(requirement: str) -> str:
    for stop in "<>=!~[;( ":
        requirement = requirement.partition(stop)[0]
    return requirement.lower().replace("_", "-").replace(".", "-")


def test_check_links_checks_stores_and_archives(checked):
    assert checked.done.returncode == 1, checked.done.stderr  # the page gone is dead at once
    printed = json.loads(checked.done.stdout)
    states = {resource["url"]: resource["state"] for resource in printed["resources"]}
    assert states == {checked.ok: "ok", checked.gone: "dead", "mailto:someone@mail.test": "ok"}
    assert isinstance(printed["archive"], list) and checked.wayback_requests > 0


def test_status_history_report_and_accept_read_the_history(production, checked, tmp_path):
    where = ["--config", str(checked.config)]
    status = run(production, "linkkeeper", "status", *where, cwd=tmp_path)
    assert status.returncode == 0 and checked.gone in status.stdout, status.stderr
    history = run(production, "linkkeeper", "history", checked.ok, *where, cwd=tmp_path)
    assert history.returncode == 0 and checked.ok in history.stdout, history.stderr
    report = run(production, "linkkeeper", "report", *where, cwd=tmp_path)
    assert report.returncode == 0 and checked.ok in report.stdout, report.stderr
    html = tmp_path / "report.html"
    written = run(production, "linkkeeper", "report", "--format", "html", "--output", str(html), *where, cwd=tmp_path)
    assert written.returncode == 0 and checked.ok in html.read_text(), written.stderr
    accepted = run(production, "linkkeeper", "accept", checked.ok, *where, cwd=tmp_path)
    assert accepted.returncode == 0 and "Accepted" in accepted.stdout, accepted.stderr


def test_archive_does_the_archive_step_and_exports_the_warc_copies(production, checked, tmp_path):
    where = ["--config", str(checked.config)]
    with LocalWayback() as wayback:
        done = run(production, "linkkeeper", "archive", "--json", *where, cwd=tmp_path,
                   env={"LINKKEEPER_WAYBACK_URL": wayback.base_url})
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), list)
    bundle = tmp_path / "copies.warc.gz"
    exported = run(production, "linkkeeper", "archive", "--export-warc", str(bundle), *where, cwd=tmp_path)
    assert exported.returncode == 0 and "WARC records" in exported.stdout, exported.stderr
    assert bundle.exists()


def test_the_dashboard_serves_the_history_and_stops(production, checked, tmp_path):
    db = checked.config.with_name("linkkeeper.db")
    with dashboard(checked.config, tmp_path, program=str(production.bin / "linkkeeper"), cwd=tmp_path) as served:
        with urllib.request.urlopen(served.url + "-/dashboards/link-health", timeout=DEADLINE) as page:
            assert page.status == 200
        assert len(datasette_processes(db)) == 1
        served.process.terminate()
        assert served.process.wait(timeout=DEADLINE) == 0
        assert datasette_processes(db) == []


def test_import_builds_a_list_from_a_file(production, loopback, tmp_path):
    source = tmp_path / "report.html"
    first, second = loopback.a.url + "/ok", loopback.b.url + "/x"
    source.write_text(f'<h2>Toolkits</h2><p><a href="{first}">A toolkit</a> and <a href="{second}">another</a></p>')
    config = tmp_path / "resources.yml"
    done = run(production, "linkkeeper", "import", str(source), "--config", str(config), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    urls = [entry["url"] for entry in yaml.safe_load(config.read_text())["resources"]]
    assert urls == [first, second]


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs Debian's redis-server (install.sh)")
def test_a_worker_serves_a_distributed_run_that_linkkeeper_check_coordinates(production, loopback, tmp_path):
    urls = [loopback.a.url + "/ok", loopback.a.url + "/gone"]
    config = write_list(tmp_path / "list", urls, canaries=[loopback.a.url + "/canary"])
    with local_redis() as redis:
        worker = subprocess.Popen(
            [str(production.bin / "linkkeeper"), "worker", "--once"],
            cwd=tmp_path, env={**os.environ, "LINKKEEPER_REDIS": redis.url},
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            coordinated = run(production, "linkkeeper", "check", "--config", str(config), "--redis", redis.url,
                              "--no-archive", cwd=tmp_path)
            out, err = worker.communicate(timeout=RUN_SECONDS)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    assert coordinated.returncode == 0, coordinated.stderr
    assert worker.returncode == 0 and "Traceback" not in out + err, err

