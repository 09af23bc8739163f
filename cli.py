"""The command line: `check-links` (what cron runs) and the `linkkeeper` group for everything else."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from linkkeeper import __version__
from linkkeeper.errors import LinkkeeperError
from linkkeeper.run import RunResult, check_links
from linkkeeper.summary import changes_text, network_down_text, summary_text


class _Failure(click.ClickException):
    def __init__(self, error: LinkkeeperError):
        super().__init__(str(error))
        self.exit_code = error.exit_code


@click.group()
@click.version_option(__version__, prog_name="linkkeeper")
def cli() -> None:
    """Keep a list of links alive: check them, keep their health history, archive them."""


@click.command(name="check-links")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="resources.yml",
    show_default=True,
    envvar="LINKKEEPER_CONFIG",
    help="The list of links to check.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="LINKKEEPER_DB",
    help="SQLite database of the health history  [default: linkkeeper.db beside the config]",
)
@click.option("--no-archive", is_flag=True, help="Skip the Wayback Machine step after checking.")
@click.option("--quiet", "-q", is_flag=True, help="Print only what changed (for cron mail).")
@click.option("--json", "as_json", is_flag=True, help="Print the run's results as JSON.")
@click.option("--verbose", "-v", count=True, help="Show the crawler's log (-vv for debug).")
@click.version_option(__version__, prog_name="check-links")
def check_links_command(
    config_path: Path,
    db_path: Path | None,
    no_archive: bool,
    quiet: bool,
    as_json: bool,
    verbose: int,
) -> None:
    """Check every link of the list, record its health, and report what changed.

    Exit status: 0 no link is dead, 1 at least one link is dead, 2 bad input or usage,
    3 the network was unavailable (nothing judged), 4 another run holds the database,
    5 the crawler failed.
    """
    show_bar = sys.stdout.isatty() and not quiet and not as_json
    log_level = ("ERROR", "INFO", "DEBUG")[min(verbose, 2)]
    with _ProgressBar(show_bar) as progress:
        try:
            result = check_links(config_path.absolute(), db_path, progress.update, log_level)
        except LinkkeeperError as error:
            raise _Failure(error) from None
    _report(result, quiet, as_json)
    sys.exit(result.exit_code)


def _report(result: RunResult, quiet: bool, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    elif result.status == "network_down":
        click.echo(network_down_text(result), err=True)
    elif quiet:
        text = changes_text(result)
        if text:
            click.echo(text)
    else:
        click.echo(summary_text(result))


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
