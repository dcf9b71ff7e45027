"""The commands that do the daily work: build, collect, run, deliver, schedule and check."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import BriefingError, ConfigError
from ..text.plural import plural
from .console import day_summary
from .params import DateType, FormatList, config_option, configs_option, load

if TYPE_CHECKING:
    from ..config import Config
    from ..models import BuildResult
    from ..runner import CycleReport

log = logging.getLogger("briefing")


@click.command()
@click.option(
    "--date",
    "day",
    type=DateType(),
    help="Day to build (default: yesterday in the config's time zone).",
)
@config_option
@click.option(
    "--format",
    "formats",
    type=FormatList(),
    help="Comma-separated formats to write (default: output.formats).",
)
@click.option("--no-collect", is_flag=True, help="Build from what is stored; fetch nothing.")
@click.option(
    "--rebuild", is_flag=True, help="Re-open a recorded day: build it as if for the first time."
)
def build(
    day: date | None,
    config_path: str | None,
    formats: list[str] | None,
    no_collect: bool,
    rebuild: bool,
) -> None:
    """Collect, then build the briefing for one day (today's, while its window is open, is
    provisional)."""
    from .. import pdfworker

    if formats is None or "pdf" in formats:  # its imports overlap ours (pdfworker.start_early)
        pdfworker.start_early()
    try:
        _build(day, config_path, formats, no_collect, rebuild)
    finally:
        pdfworker.discard_early()  # (the build did not want it)


def _build(
    day: date | None,
    config_path: str | None,
    formats: list[str] | None,
    no_collect: bool,
    rebuild: bool,
) -> None:
    from ..pipeline import build as run_build
    from ..pipeline.archive import write_archive
    from ..runner import locked

    config = load(config_path)
    day = day or _yesterday(config)

    archive_failed: BriefingError | None = None
    with (
        locked(config, wait=True),
        _progress(len(config.sources) if not no_collect else 0) as on_done,
    ):
        result = run_build(
            config, day, formats, collect_first=not no_collect, on_done=on_done, rebuild=rebuild
        )
        try:
            write_archive(config)
        except BriefingError as exc:  # the briefing is written: say where before failing
            archive_failed = exc
    for path in result.files.values():
        click.echo(display_path(path))
    for line in _record_lines(result):
        click.echo(line)
    click.echo(day_summary(result.briefing, result.reports))
    if archive_failed is not None:
        raise archive_failed
    if result.problems:  # a format that could not be made (a PDF cut at its time limit)
        raise BriefingError("\n".join(result.problems))
    if result.reports and all(r.status == "failed" for r in result.reports):
        raise BriefingError("every source failed; the briefing holds only items stored earlier")


@click.command()
@configs_option
def collect(config_paths: tuple[str, ...]) -> None:
    """Fetch every source once and store the new items (of every desk given)."""
    from ..config.desks import check_desks, load_desks, union_sources
    from ..pipeline import start_local

    configs = load_desks(config_paths)
    check_desks(configs)
    pairs = union_sources(configs)
    started = start_local(pairs)  # local files parse while the store's imports load
    try:
        from ..runner import collect_desks

        with _progress(len(pairs)) as on_done:
            reports = collect_desks(configs, on_done, started)
    finally:
        if started is not None:
            started.close()
    for r in reports:
        note = f"; {r.note()}" if r.note() else ""
        detail = f" — {r.message}" if r.message else ""
        click.echo(f"{r.name}: {r.status}, {plural(r.fetched, 'item')}, {r.new} new{note}{detail}")
    if reports and all(r.status == "failed" for r in reports):
        raise BriefingError("every source failed; nothing was collected")


@click.command()
@configs_option
@click.option("--force", is_flag=True, help="Build and deliver again even if already delivered.")
@click.option("--wait", is_flag=True, help="Wait for a running cycle instead of exiting 75.")
def run(config_paths: tuple[str, ...], force: bool, wait: bool) -> None:
    """One scheduled cycle now: collect, build the window that closed last, deliver it.
    Several --config: one collection for all desks, then each desk's build and delivery."""
    from ..runner import cycle, cycle_desks, load_desks

    configs = load_desks(config_paths)
    if len(configs) == 1:
        _report(cycle(configs[0], force=force, wait=wait))
        return
    _report(cycle_desks(configs, force=force, wait=wait))


@click.command()
@click.option("--date", "day", type=DateType(), required=True, help="Day to deliver.")
@config_option
@click.option("--force", is_flag=True, help="Deliver again to every target.")
@click.option("--wait", is_flag=True, help="Wait for a running cycle instead of exiting 75.")
def deliver(day: date, config_path: str | None, force: bool, wait: bool) -> None:
    """Send what is not yet delivered for a day (building it first if it never was)."""
    from ..runner import deliver as run_deliver

    _report(run_deliver(load(config_path), day, force=force, wait=wait))


@click.command()
@config_option
def schedule(config_path: str | None) -> None:
    """Run cycles on the configured schedule, in the foreground, until stopped."""
    from ..config import find_config
    from ..runner.schedule import run_scheduler

    path = find_config(config_path)
    config = load(str(path))
    if log.getEffectiveLevel() <= logging.WARNING:  # not -q: say when the next cycle runs
        notice = logging.getLogger("briefing.schedule")
        notice.setLevel(min(log.getEffectiveLevel(), logging.INFO))
    run_scheduler(path.resolve(), config)


def _record_lines(result: BuildResult) -> list[str]:
    """What the build did to the record, when it did more than record the day."""
    lines = []
    day = result.briefing.date
    if result.caught_up:
        days = ", ".join(d.isoformat() for d in result.caught_up)
        lines.append(f"recorded {days} first: {day} continues their stories")
    if result.briefing.provisional:
        closes = result.briefing.window_end.strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"{day} is provisional: its window is open until {closes} "
            f"({result.briefing.timezone}); later items will join it"
        )
    if result.rebuilt:
        added, removed = plural(result.added, "item"), plural(result.removed, "item")
        lines.append(f"rebuilt {day}: +{added}, −{removed}")
    return lines


def _report(report: CycleReport) -> None:
    for day in report.built:
        click.echo(f"built {day.isoformat()}")
    for label in report.sent:
        click.echo(f"sent {label}")
    if not report.built and not report.sent and report.ok:
        click.echo("nothing to do: every due window is built and delivered")
    if not report.ok:
        problems = [*(f"{p} (will retry)" for p in report.pending), *report.failed]
        raise BriefingError(f"delivery failed: {'; '.join(problems)}")
    if report.problems:
        raise BriefingError("\n".join(report.problems))


@click.command()
@config_option
def check(config_path: str | None) -> None:
    """Validate the config, the templates and the sources' paths without building."""
    import glob

    from ..render import Templates
    from ..render.sample import render_check

    config = load(config_path)
    templates = Templates(config.templates_dir, config.zone)
    problems = templates.check()  # found and parsed; then rendered, which finds the rest
    problems = problems or render_check(templates, config.timezone)
    for index, source in enumerate(config.sources):
        if source.path:
            pattern = str(config.resolve(source.path))
            if not glob.glob(pattern, recursive=True):
                where = source._where or f"{config.path}: sources[{index}].path"
                problems.append(f"{where}: no file matches {source.path!r}")
    if problems:
        raise ConfigError(problems)
    click.echo(
        f"{display_path(str(config.path))}: OK ({plural(len(config.sources), 'source')}, "
        f"{plural(len(config.sections), 'section')})"
    )


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[Any], None] | None]:
    """A progress bar on a terminal; plain log lines (from collect) everywhere else."""
    if not total or not sys.stderr.isatty() or log.getEffectiveLevel() > logging.WARNING:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (
        TextColumn("collecting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)
        yield lambda report: bar.update(task, advance=1, description=report.name)


def _yesterday(config: Config) -> date:
    return datetime.now(config.zone).date() - timedelta(days=1)


def display_path(path: str) -> str:
    """`path` relative to the working directory when it is below it (shorter to read)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path
