"""`python -m linkkeeper`: the same as the `linkkeeper` command."""

from cli import cli

cli(prog_name="linkkeeper")
