"""Exit statuses and the errors that map onto them, in one place, as the README documents them."""

EXIT_OK = 0
EXIT_DEAD = 1
EXIT_BAD_INPUT = 2
EXIT_NETWORK_DOWN = 3
EXIT_LOCKED = 4
EXIT_CRAWLER_FAILED = 5


class LinkkeeperError(Exception):
    """An error the user can act on: printed as one line, then the process exits with `exit_code`."""

    exit_code = EXIT_BAD_INPUT


class InputError(LinkkeeperError):
    """Bad configuration, database or path: nothing was written."""


class LockedError(LinkkeeperError):
    exit_code = EXIT_LOCKED


class CrawlerFailed(LinkkeeperError):
    exit_code = EXIT_CRAWLER_FAILED
