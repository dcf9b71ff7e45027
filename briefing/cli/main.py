"""The `briefing` command group and its entry point: every expected failure becomes one line
on stderr and an exit status (0 done, 1 failed work, 2 bad usage or config, 75 locked, 130
interrupted); tracebacks only with --debug.

Nothing heavy is imported at module level, so `briefing --help` stays fast and never loads
WeasyPrint; each command imports what it needs when it runs.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from typing import NoReturn

import click

from .. import __version__
from ..errors import BriefingError
from .commands import build, check, collect, deliver, run, schedule
from .db import db_group
from .quality import eval_group, explain
from .serve import serve

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report an interrupted command


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(__version__, "--version", prog_name="briefing")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.option("-v", "--verbose", is_flag=True, help="Log each source and stage.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: bool, quiet: bool) -> None:
    """Turn the day's news on a topic into a sectioned briefing (Markdown, HTML, JSON, PDF)."""
    if ctx.invoked_subcommand is None:  # plain `briefing`: how to use it, which is no error
        click.echo(ctx.get_help())
        return
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    _setup_logging(logging.ERROR if quiet and not debug else level)


# in the order the README's command reference lists them
for command in (
    build,
    collect,
    check,
    run,
    deliver,
    schedule,
    serve,
    db_group,
    explain,
    eval_group,
):
    cli.add_command(command)


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"{record.levelname.lower()}: {message}"
        return message


def _setup_logging(level: int) -> None:
    logger = logging.getLogger("briefing")
    for handler in list(logger.handlers):
        if getattr(handler, "_briefing", False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._briefing = True  # type: ignore[attr-defined]
    handler.setFormatter(_Formatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    logging.getLogger("briefing.schedule").setLevel(logging.NOTSET)  # `schedule` may raise it


def main(argv: list[str] | None = None) -> int:
    """Entry point: every expected failure becomes one line on stderr and an exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = (
        "--debug"
        in args[: next((i for i, a in enumerate(args) if not a.startswith("-")), len(args))]
    )
    try:
        cli.main(args=args, prog_name="briefing", standalone_mode=False)
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        if debug:
            raise
        message = exc.format_message()
        if isinstance(exc, click.UsageError) and "No such command" in message:
            message += " (see briefing --help)"
        click.echo(f"error: {message}", err=True)
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except click.exceptions.Abort:
        click.echo("error: interrupted", err=True)
        return EXIT_INTERRUPTED
    except BriefingError as exc:
        if debug:
            raise
        for line in str(exc).splitlines() or [type(exc).__name__]:
            click.echo(f"error: {line}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"error: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for the traceback)",
            err=True,
        )
        return 1


# The cyclic collector's first generation is collected after this many new container objects
# (Python's default is 700). A large day keeps millions of objects alive (items, word
# vectors, facts) and makes almost no cyclic garbage, yet the default has the collector walk
# all of them again each time they grow by a quarter: on a 10,000-item day that was about
# 0.6 s of a 7.5 s build. Garbage in cycles still goes, a little later.
FIRST_GENERATION = 50_000


def program() -> NoReturn:
    """The `briefing` program (`main` is what tests and other programs call). Its process
    ends without the collector walking every object once more on the way out (`gc.freeze`):
    a large day's briefing is written by then, and freeing it cost about 0.3 s."""
    gc.set_threshold(FIRST_GENERATION, *gc.get_threshold()[1:])
    code = main()
    if code == EXIT_INTERRUPTED:
        # CPython ends a process by SIGINT, whatever main returned, when the interrupt landed
        # inside exec'd code (a dataclass being made while a module loads): say 130, as
        # documented, and skip the clean-up that main's own `finally` blocks have done
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    gc.freeze()
    sys.exit(code)
