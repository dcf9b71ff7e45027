"""`briefing db`: commands that manage the store itself (`db copy --to URL`)."""

from __future__ import annotations

import click

from ..text.plural import plural
from .params import config_option, load


@click.group(name="db")
def db_group() -> None:
    """Manage the store."""


@db_group.command(name="copy")
@click.option("--to", "target", required=True, metavar="URL", help="URL of an empty store.")
@config_option
def db_copy(target: str, config_path: str | None) -> None:
    """Copy every table of the configured store into an empty store at URL."""
    from ..store import check_driver, copy_store

    config = load(config_path)
    check_driver(target, "--to")
    report = copy_store(config.database_url, target)
    for table, count in report.counts.items():
        click.echo(f"{table}: {plural(count, 'row')}")
    click.echo(f"copied {plural(sum(report.counts.values()), 'row')} into {report.target}")
