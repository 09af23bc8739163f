"""The command line: `check-links` (what cron runs) and the `linkkeeper` group for everything else.

What only one command needs is imported when that command runs: `check-links` starts without loading
the import's document readers (PDF, DOCX), Redis's client or Datasette's launcher, and loads the archive
step (its HTTP client) only when the run has one.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from linkkeeper import __version__
from linkkeeper.clock import now_iso
from linkkeeper.config.resources import load_config, write_list
from linkkeeper.config.settings import DEFAULT_LEASE, zone
from linkkeeper.config.targets import gather
from linkkeeper.errors import InputError, Interrupted, LinkkeeperError, failure
from linkkeeper.files import write_atomically
from linkkeeper.health.vocabulary import COMPLETED, NETWORK_DOWN, STATES
from linkkeeper.notify.deliver import notifying
from linkkeeper.output import terminal
from linkkeeper.output.feed import ATOM, atom
from linkkeeper.output.reports import FORMATS, entries, render
from linkkeeper.quote import quote
from linkkeeper.runs.crawl import crawl
from linkkeeper.runs.forking import ForkServer
from linkkeeper.runs.run import RunResult, check_links
from linkkeeper.runs.signals import stop_on_signals
from linkkeeper.runs.summary import Said, changes_text, network_down_text, summary_text, what_to_say
from linkkeeper.store import opening
from linkkeeper.store import queries as storage
from linkkeeper.store.changes import state_changes
from linkkeeper.store.opening import database_path
from linkkeeper.store.queries import MOVE_CHECKS

if TYPE_CHECKING:
    from archive.step import ArchiveReport


class _Failure(click.ClickException):
    def __init__(self, error: LinkkeeperError):
        super().__init__(str(error))
        self.exit_code = error.exit_code


class _Command(click.Command):
    """Every command ends the same way: one line and a documented exit status, never a traceback.

    A stop signal unwinds the command like an error (the run is recorded as `interrupted`) and exits
    128 + the signal; anything else becomes its `LinkkeeperError` (exit 2, 4 or 5), never 1, which
    means "a link is dead".
    """

    def invoke(self, ctx: click.Context):
        try:
            with stop_on_signals():
                return super().invoke(ctx)
        except Interrupted as stop:
            click.echo(f"Stopped by {stop}; what was done so far is kept, nothing is half-written.", err=True)
            sys.exit(stop.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            raise _Failure(failure(error)) from None


def _log_level(verbose: int) -> str:
    """The crawler's log level for `-v` counted: none, -v or -vv."""
    return ("ERROR", "INFO", "DEBUG")[min(verbose, 2)]


class _Group(click.Group):
    command_class = _Command


def _config_option(meaning: str) -> Callable:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default="resources.yml",
        show_default=True,
        envvar="LINKKEEPER_CONFIG",
        help=meaning,
    )


def _redis_option(meaning: str) -> Callable:
    """The URL may hold a password: it can come from $LINKKEEPER_REDIS instead, out of sight of `ps`."""
    return click.option("--redis", "redis_url", metavar="URL", envvar="LINKKEEPER_REDIS", help=meaning)


def _paths(command: Callable) -> Callable:
    """The --config and --db options every command shares."""
    command = click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="LINKKEEPER_DB",
        help="SQLite database of the health history  [default: linkkeeper.db beside the config]",
    )(command)
    return _config_option("The list of links.")(command)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="linkkeeper")
def cli() -> None:
    """Keep a list of links alive: check them, keep their health history, archive them."""


@click.command(name="check-links", cls=_Command)
@_paths
@click.option("--no-archive", is_flag=True, help="Skip the Wayback Machine step after checking.")
@click.option("--quiet", "-q", is_flag=True, help="Print only what changed (for cron mail).")
@click.option("--json", "as_json", is_flag=True, help="Print the run's results as JSON.")
@click.option("--verbose", "-v", count=True, help="Show the crawler's log (-vv for debug).")
@_redis_option("Coordinate workers through this Redis instead of crawling here: redis://[:PASSWORD@]HOST:PORT/N.")
@click.option(
    "--lease",
    type=click.FloatRange(1, 3600),
    default=DEFAULT_LEASE,
    show_default=True,
    help="With --redis: seconds a silent worker keeps its hosts before they go to another.",
)
@click.version_option(__version__, prog_name="check-links")
@click.pass_obj
def check_links_command(
    fork_server: ForkServer | None,
    config_path: Path,
    db_path: Path | None,
    no_archive: bool,
    quiet: bool,
    as_json: bool,
    verbose: int,
    redis_url: str | None,
    lease: float,
) -> None:
    """Check every link of the list, record its health, archive what needs it, and report what changed.

    Exit status: 0 no link is dead, 1 at least one link is dead, 2 bad input or usage,
    3 the network was unavailable (nothing judged), 4 another run holds the database,
    5 the crawler or the machine failed (disk full, say), 6 Redis (--redis) is down or unreachable,
    7 the database was replaced or overwritten during the run, 130/143/129 stopped by Ctrl-C/SIGTERM/SIGHUP.
    """
    show_bar = sys.stdout.isatty() and not quiet and not as_json
    log_level = _log_level(verbose)
    with contextlib.ExitStack() as own:
        if fork_server is None and not redis_url:  # not started by the `check-links` script (launch.py): now, first
            fork_server = own.enter_context(ForkServer())
        config = load_config(config_path.absolute())
        archive = not no_archive and config.settings.archive.enabled
        if redis_url:
            from linkkeeper.runs.distributed import Coordinator

            fetch = Coordinator(redis_url, lease).fetch
        else:
            fetch = functools.partial(crawl, server=fork_server)
        spool = None
        if archive:
            from archive.step import crawler_settings, run_archive

            spool = None if redis_url else crawler_settings(config)  # workers elsewhere cannot write it
        report = None
        targets = gather(config.path, config.settings.notify, config.settings.notify_file)
        with (
            _ProgressBar(show_bar) as progress,
            opening.locked(database_path(config.path, db_path)) as db,
            notifying(db, config, targets, _warn) as told,
        ):
            result = told.result = check_links(db, config, progress.update, log_level, spool, fetch)
            if archive and result.status == COMPLETED:
                opening.unchanged(db)
                report = run_archive(db, config)
                told.archive = report.to_json()
            said = told.said = what_to_say(db, config, result, (outcome["url"] for outcome in told.archive))
    _report(result, report, quiet, as_json, said)
    sys.exit(result.exit_code)


def _warn(line: str) -> None:
    click.echo(line, err=True)


def _report(result: RunResult, report: ArchiveReport | None, quiet: bool, as_json: bool, said: Said) -> None:
    if as_json:
        click.echo(json.dumps({**result.to_json(), "archive": report.to_json() if report else None}, indent=2))
    elif result.status == NETWORK_DOWN:
        click.echo(network_down_text(result), err=True)
    else:
        archive = ""
        if report:
            from archive.step import archive_text

            archive = archive_text(report, quiet=quiet)
        changed = changes_text(result, said.links) if quiet else summary_text(result, said.links)
        text = "\n".join(filter(None, [changed, archive, said.reminder]))
        if text:
            click.echo(text)


@cli.command()
@_redis_option("The Redis a `check-links --redis` coordinator feeds: redis://[:PASSWORD@]HOST:PORT/N.")
@click.option("--once", is_flag=True, help="Serve the next run only, then exit.")
@click.option("--verbose", "-v", count=True, help="Show the crawler's log (-vv for debug).")
def worker(redis_url: str | None, once: bool, verbose: int) -> None:
    """Fetch a share of each distributed run's links, as they come, until stopped.

    Exit status: 5 the crawler failed, 6 Redis is down or unreachable, 130/143/129 stopped by a signal.
    """
    if not redis_url:
        raise InputError("worker needs --redis URL (or $LINKKEEPER_REDIS): the Redis its coordinator feeds")
    from linkkeeper.runs.worker import serve

    serve(redis_url, once, _log_level(verbose), click.echo)


@cli.command(name="archive")
@_paths
@click.argument("urls", nargs=-1)
@click.option("--export-warc", type=click.Path(dir_okay=False, path_type=Path), help="Bundle the local WARC copies.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcomes as JSON.")
def archive_command(
    config_path: Path, db_path: Path | None, urls: tuple[str, ...], export_warc: Path | None, as_json: bool
) -> None:
    """Do the archive step now: pending work, what the links' health calls for, and the URLs given.

    A URL given is submitted to Save Page Now whatever its health; it must be in the list.
    """
    from archive import warc
    from archive.step import archive_text, run_archive, warc_dir

    config = load_config(config_path.absolute())
    if export_warc:
        count = warc.export(warc_dir(config), export_warc)
        click.echo(f"Wrote {count} WARC records to {export_warc}.")
        return
    with opening.locked(database_path(config.path, db_path)) as db:
        report = run_archive(db, config, urls)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(archive_text(report) or "Archive: nothing to do.")


@cli.command()
@_paths
@click.argument("urls", nargs=-1, required=True)
@click.option("--note", help="Why, in your words: kept with what you accepted and shown as its reason.")
def accept(config_path: Path, db_path: Path | None, urls: tuple[str, ...], note: str | None) -> None:
    """I looked, it is fine: a wall each URL's last check met, or its page's new text.

    A wall (a sign-in page, a firewall, 401, 429) is accepted until a check answers otherwise: another wall,
    status or final address, and the link is judged as any other again. A text becomes the baseline for content
    drift: a link at risk only because its content changed is ok again. All or nothing; exit status 2 for a URL
    that is not in the list.
    """
    config = load_config(config_path.absolute())
    listed = {resource.url for resource in config.resources}
    with opening.locked(database_path(config.path, db_path)) as db:  # a damaged database is said first
        for url in urls:
            if url not in listed:
                raise InputError(f"{url}: not in the list {config.path}")
        accepted = storage.accept(db, urls, now_iso(), zone(config.settings.timezone), note)
    for row in accepted:
        wall = row["wall"]
        if wall:
            status = f", HTTP {wall.status}" if wall.status else ""
            click.echo(
                f"Accepted the wall of {row['url']} ({wall.finding}{status}): fine until its answer changes;"
                f" it stays {row['state']}, not a problem."
            )
        else:
            day = row["content_at"][:10]
            click.echo(f"Accepted the text of {row['url']} checked {day} as its baseline; it is {row['state']}.")


@cli.command()
@_paths
@click.option("--state", "states", multiple=True, type=click.Choice(STATES), help="Only links in this state.")
@click.option("--kind", "kinds", multiple=True, help="Only resources of this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and the resources as JSON, worst first.")
def status(
    config_path: Path, db_path: Path | None, states: tuple[str, ...], kinds: tuple[str, ...], as_json: bool
) -> None:
    """The current health of every resource, worst first: state, title, since when, reason, archived copy."""
    where = terminal.timezone_of(config_path)
    with opening.read_only(database_path(config_path, db_path)) as db:
        rows = storage.link_health(db, states, kinds)
    if as_json:
        click.echo(json.dumps(terminal.status_json(rows, where), indent=2, ensure_ascii=False))
    else:
        click.echo(terminal.status_text(rows, where, now_iso(), terminal.terminal_width(), sys.stdout.isatty()))


@cli.command()
@_paths
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="Print the resource, its checks and snapshots as JSON.")
def history(config_path: Path, db_path: Path | None, url: str, as_json: bool) -> None:
    """One resource's checks and archive snapshots, newest first; then the days its older checks were rolled
    up into (`history.keep_checks_days`), one line a day."""
    where = terminal.timezone_of(config_path)
    with opening.read_only(database_path(config_path, db_path)) as db:
        checks, snapshots = storage.history(db, url)
        daily = storage.daily_history(db, url)
        resource = next(iter(storage.link_health(db, urls=[url])), None)
    if not checks and not snapshots and not daily:
        raise InputError(f"{quote(url)}: no history (is it in the list, and has check-links run?)")
    if as_json:
        document = terminal.history_json(resource, checks, snapshots, where, daily)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(
            terminal.history_text(
                url, resource, checks, snapshots, where, now_iso(), terminal.terminal_width(), sys.stdout.isatty(),
                daily,
            )
        )


@cli.command()
@_paths
@click.option("--format", "report_format", type=click.Choice((*FORMATS, ATOM)), default="markdown", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def report(config_path: Path, db_path: Path | None, report_format: str, output: Path | None) -> None:
    """The resource list, repaired: for each resource the link a reader should use now. `--format atom`: the feed
    of changes instead, one entry per change of a link's state (the last 90 days, at most 100), newest first."""
    config = load_config(config_path.absolute())
    with opening.read_only(database_path(config_path, db_path)) as db:
        if report_format == ATOM:
            changes, began = state_changes(db, now_iso())
        else:
            health = {row["url"]: row for row in storage.link_health(db)}
            runs = storage.state_counts_by_run(db)
    where = ZoneInfo(config.settings.timezone)
    if report_format == ATOM:
        text = atom(config.title, changes, began, now_iso())
    else:
        text = render(report_format, config.title, entries(config, health, where), runs, now_iso(), where)
    if output:
        write_atomically(output, text)
        click.echo(f"Wrote the {report_format} report to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@_paths
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0: all).")
@click.option("--port", default=8001, show_default=True, help="Port to listen on (0: any free one).")
def dashboard(config_path: Path, db_path: Path | None, host: str, port: int) -> None:
    """Serve the health history in the browser with Datasette, read-only."""
    path = database_path(config_path, db_path).absolute()
    with opening.read_only(database_path(config_path, db_path)):
        pass
    try:
        config = load_config(config_path.absolute())
        title, timezone = config.title, config.settings.timezone
    except LinkkeeperError:
        title, timezone = "linkkeeper", "UTC"
    from dashboard.serve import free_port, serve

    port = port or free_port(host)
    click.echo(f"Serving {path} read-only at http://{host}:{port}/ (Ctrl-C stops).")
    sys.stdout.flush()
    sys.exit(serve(path, title, host, port, timezone))


@cli.command()
@_config_option("The list whose notification targets are used.")
@click.option("--test", "send_test", is_flag=True, help="Send each target a test message; say which failed and why.")
def notify(config_path: Path, send_test: bool) -> None:
    """Where each run's message goes (secrets hidden) and what it is sent for; with --test, send each target a
    test message and say, target by target, sent or failed and why.

    Exit status: 0 the targets listed, or every target sent the test; 1 at least one target failed the test;
    2 bad input (a URL Apprise cannot use, or no target to test).
    """
    config = load_config(config_path.absolute())
    targets = gather(config.path, config.settings.notify, config.settings.notify_file)
    if not targets:
        raise InputError(f"{config.path}: no notification target: set `notify`, `notify_file` or $LINKKEEPER_NOTIFY")
    if not send_test:
        click.echo(f"Sent for: {', '.join(config.settings.notify_on) or 'nothing (notify_on is empty)'}.")
        click.echo("\n".join(f"  {target.shown}" for target in targets))
        return
    from linkkeeper.notify.deliver import send_test as test

    outcomes = test(targets, config.title)
    for target, error in outcomes:
        click.echo(f"sent: {target.shown}" if error is None else f"failed: {target.shown}: {error}")
    sys.exit(1 if any(error for _, error in outcomes) else 0)


@cli.command()
@_paths
def doctor(config_path: Path, db_path: Path | None) -> None:
    """Examine the database without changing it: SQLite's integrity check, whether it is linkkeeper's,
    its WAL and WAL index, who holds it; and, when it is damaged, how to restore it.

    Exit status: 0 healthy, 2 damaged, not linkkeeper's or not there.
    """
    from linkkeeper.store.doctor import examine

    healthy, lines = examine(database_path(config_path, db_path).absolute())
    click.echo("\n".join(lines))
    sys.exit(0 if healthy else 2)


@cli.command()
@_paths
def compact(config_path: Path, db_path: Path | None) -> None:
    """Roll up now every check older than `history.keep_checks_days` into daily summaries (state changes are
    kept), give the space back, and say what it freed.

    Exit status: 0 done, 2 bad input or a damaged database, 4 a run holds the database, 7 the database was
    replaced while it wrote.
    """
    config = load_config(config_path.absolute())
    keep = config.settings.history.keep_checks_days
    before = storage.roll_up_before(now_iso(), keep)
    with opening.locked(database_path(config.path, db_path)) as db:
        size_before = storage.size(db)
        done = storage.roll_up(db, before, guard=lambda: opening.guarded(db))
        kept = storage.checks_before(db, before)
        how = storage.reclaim(db)
        size_after = storage.size(db)
    click.echo(
        f"Rolled up {done.checks} checks made before {before} ({keep} days kept whole) into {done.days} daily"
        f" summaries; {kept} checks from before then are kept, each a change of its link's state (or its first)."
    )
    click.echo(f"{how}: {size_before:,} bytes before, {size_after:,} after ({size_before - size_after:,} freed).")
    if how == "VACUUM":
        click.echo("From now on each roll-up gives back the space it frees: this was the last rewrite needed.")


@cli.command(name="import")
@click.argument("source")
@_config_option("The list to build or refresh (created if missing).")
@click.option("--dry-run", is_flag=True, help="Print the counts and the diff; write nothing.")
@click.option(
    "--depth",
    type=click.IntRange(0, 5),
    default=0,
    show_default=True,
    help="For a web page: also read pages of the same site up to this many links away.",
)
@click.option("--all", "everything", is_flag=True, help="Also list images, stylesheets, scripts, same-page anchors.")
def import_command(source: str, config_path: Path, dry_run: bool, depth: int, everything: bool) -> None:
    """Build or refresh the list from a report: a file (HTML, Markdown, PDF, DOCX, text) or a web page.

    New links go under their section; listed entries are never changed or removed; lost links are
    listed for a person. Exit status: 0 done, 2 bad input (the list untouched).
    """
    click.echo(_import_report(source, config_path.absolute(), dry_run, depth, everything))


def _import_report(
    source: str, config_path: Path, dry_run: bool = False, depth: int = 0, everything: bool = False
) -> str:
    """Merge the report's links into the list (created if missing); what import prints."""
    from linkkeeper.importer.merge import merge, remembered_source, write
    from linkkeeper.importer.read import read_source
    from linkkeeper.importer.report import import_text

    # The list is parsed once: a list that is not valid is reported as check-links would, line and all, before
    # the report is read; its settings fetch a web page. The merge edits the file's text in a round trip.
    listed = load_config(config_path) if config_path.exists() else None
    found = read_source(source, listed, depth, everything)
    moves: dict[str, str] = {}
    if database_path(config_path).is_file():  # a report repaired to follow moves cites their new addresses
        with opening.read_only(database_path(config_path)) as db:
            moves = storage.moved_addresses(db)
    result = merge(config_path, found, remembered_source(source, config_path), moves)
    if not dry_run and result.after != result.before:
        write(config_path, result)
    return import_text(source, config_path, found, result, dry_run)


@cli.command()
@_config_option("The list to write; it must not exist yet.")
@click.option("--from", "report", metavar="REPORT", help="A report (file or web page) whose links make the list.")
@click.option("--title", help="The list's title, as reports and messages name it  [default: the folder's name]")
@click.option("--timezone", "timezone", help="The zone of every time shown (IANA)  [default: this machine's]")
def init(config_path: Path, report: str | None, title: str | None, timezone: str | None) -> None:
    """Start a list: write a commented resources.yml, with one example link or the links of a report.

    Every setting is listed in it, commented, with what it does. Exit status: 0 written, 2 the list exists
    already or bad input (nothing written).
    """
    from linkkeeper.config.settings import zone
    from linkkeeper.config.starter import local_zone, starter

    path = config_path.absolute()
    if path.exists():
        raise InputError(
            f"{path}: already exists; init never replaces a list (add a report's links with `linkkeeper import"
            " REPORT`, or give another --config)"
        )
    try:
        zone_name = zone(timezone or local_zone()).key
    except ValueError as error:
        raise InputError(f"--timezone: {error}") from None
    header = starter(json.dumps(title or path.parent.name, ensure_ascii=False), zone_name, with_example=not report)
    if report is None:
        write_atomically(path, header)
        click.echo(f"Wrote {path} with one example link: replace it with yours, then run check-links.")
        return
    said = _import_report(report, path)
    write_atomically(path, header + "\n" + path.read_text(encoding="utf-8"))
    click.echo(f"{said}\nWrote {path} with the report's links: check them with check-links.")


@cli.command()
@click.argument("source", required=False)
@_paths
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the repaired report here.")
@click.option("--force", is_flag=True, help="Replace the output if it exists (the report itself included).")
@click.option("--dry-run", is_flag=True, help="Print the diff (for Word and PDF: the change log); write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the change log as JSON.")
def repair(
    source: str | None, config_path: Path, db_path: Path | None, output: Path | None, force: bool, dry_run: bool,
    as_json: bool,
) -> None:
    """Repair the report: dead links lead to their verified archived copies, moved ones to their new address.

    SOURCE is a Markdown, HTML, text or Word file (a PDF gets an errata sheet); without it, the report the
    list was imported from. Live, at-risk and unknown links are never touched. Exit status: 0 done,
    2 bad input (nothing written).
    """
    from linkkeeper.repair import document
    from linkkeeper.repair.plan import plan_of

    config = load_config(config_path.absolute())
    job = document.plan_job(document.report_path(source, config), output, force, dry_run)
    with opening.read_only(database_path(config_path, db_path)) as db:
        plan = plan_of(db, config)
    before, repaired = document.repair(job, plan)
    if not dry_run:
        document.write(job, repaired)
    if as_json:
        click.echo(json.dumps(document.to_json(job, repaired, not dry_run), indent=2))
        return
    if dry_run:
        click.echo(document.diff(job, before, repaired), nl=False)
    click.echo(document.change_log(job, repaired, not dry_run))


@cli.command(name="apply-moves")
@_paths
@click.option("--dry-run", is_flag=True, help="Print the diff of the list; write nothing.")
def apply_moves(config_path: Path, db_path: Path | None, dry_run: bool) -> None:
    """Follow the links that moved for good: their `url:` becomes the new address, the old one kept as `cited_as`.

    A link has moved for good when its last checks in a row all saw the same permanent redirect (the rule
    `repair` follows). Only those values change in resources.yml: comments, order and quoting stay as they were.
    The links keep their history under the new address. Exit status: 0 done (or nothing to do), 2 bad input
    (nothing written).
    """
    from linkkeeper.config.moves import follow_moves, to_follow

    config = load_config(config_path.absolute())
    path = database_path(config.path, db_path)
    with opening.read_only(path):  # a database that is not there yet is refused, not created: nothing moved
        pass
    with (opening.read_only if dry_run else opening.locked)(path) as db:
        moves, refused = to_follow(config.resources, storage.moves_to_follow(db))
        before = config.path.read_bytes().decode("utf-8")
        after, followed = follow_moves(str(config.path), before, moves)
        if followed and not dry_run:
            write_list(config.path, after, "the list with its moves followed")
            storage.sync_resources(db, load_config(config.path).resources, now_iso())
    if dry_run:
        click.echo(
            "".join(difflib.unified_diff(
                before.splitlines(keepends=True), after.splitlines(keepends=True), str(config.path), str(config.path)
            )),
            nl=False,
        )
    for move in followed:
        kept = "; the old address kept as its cited_as" if move.cited_as_added else ""
        click.echo(f"{move.old} moved to {move.new} (line {move.line}){kept}.")
    for line in refused:
        click.echo(line)
    if refused and not followed:
        click.echo("Nothing written.")
    elif not followed:
        click.echo(f"No listed link has moved for good ({MOVE_CHECKS} checks in a row): nothing to change.")
    elif dry_run:
        click.echo(f"Dry run: {len(followed)} to follow, nothing written.")
    else:
        click.echo(f"Followed {len(followed)} in {config.path}; their history goes on under the new addresses.")


class _ProgressBar:
    """A progress bar on stderr, shown only when a person is watching a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __enter__(self) -> _ProgressBar:
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Checking links", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


cli.add_command(check_links_command, name="check")
