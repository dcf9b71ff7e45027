"""`briefing explain` and `briefing eval`: why items landed where they did, and how well the
gate, stories and sections do against labelled items."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..errors import UsageError, WorkError
from .params import DateType, config_option, load


@click.command()
@click.option(
    "--date", "day", type=DateType(), required=True, help="Day whose briefing to explain."
)
@click.argument("item", required=False)
@click.option(
    "--with",
    "other",
    metavar="OTHER",
    help="Another item (id or words of its title): why ITEM and OTHER are or are not one story.",
)
@config_option
def explain(day: date, item: str | None, other: str | None, config_path: str | None) -> None:
    """Why each item landed where it did: gate decision and every section's score with the
    matched terms. ITEM narrows to an item id (or its start) or words of its title; with
    --with OTHER, why the two items were or were not put in one story: their similarity, the
    names, days and counts they share or that set them apart, and what the clustering did."""
    if other is not None:
        if item is None:
            raise UsageError("--with needs ITEM: the item to compare OTHER with")
        from ..quality.pairs import explain_pair

        lines = explain_pair(load(config_path), day, item, other)
    else:
        from ..quality.explain import explain as run_explain

        lines = run_explain(load(config_path), day, item)
        if len(lines) == 1 and lines[0].startswith("no items"):  # a search that found nothing
            raise WorkError(lines[0])
    for line in lines:
        click.echo(line)


dense_option = click.option(
    "--dense",
    is_flag=True,
    help="Move every item onto the last labelled day, keeping its time of day, and build that "
    "one day: many events of one kind on one day.",
)


@click.group(name="eval")
def eval_group() -> None:
    """Measure the gate, stories or sections against labelled items."""


@eval_group.command(name="stories")
@click.option(
    "--labels",
    "labels",
    required=True,
    multiple=True,
    metavar="FILE",
    help="JSON lines: outlet, url, published, headline, body, story, offtopic (repeatable).",
)
@config_option
@click.option("--errors/--no-errors", default=False, help="List wrongly joined or split pairs.")
@dense_option
def eval_stories(
    labels: tuple[str, ...], config_path: str | None, errors: bool, dense: bool
) -> None:
    """Pairwise and B-cubed F1 of story clustering, day by day as builds run."""
    from ..quality.evaluate import evaluate_stories

    scores = evaluate_stories(load(config_path), [Path(p) for p in labels], dense)
    if not errors:
        scores.errors = []
    click.echo(scores.table())


@eval_group.command(name="sections")
@click.option(
    "--labels",
    "labels",
    required=True,
    multiple=True,
    metavar="FILE",
    help="JSON lines: outlet, url, published, headline, body, story, primary, offtopic "
    "(repeatable: the files are measured as one set).",
)
@config_option
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="LABEL=SECTION",
    help="Map a label name to a section id where they differ (repeatable).",
)
@click.option("--errors/--no-errors", default=False, help="List wrongly placed items.")
@dense_option
def eval_sections(
    labels: tuple[str, ...],
    config_path: str | None,
    mapping: tuple[str, ...],
    errors: bool,
    dense: bool,
) -> None:
    """Macro-F1 of sections, per-section precision/recall, gate rates, confusion matrix."""
    from ..quality.evaluate import evaluate_sections

    pairs = {}
    for entry in mapping:
        label, sep, section = entry.partition("=")
        if not sep or not label or not section:
            raise UsageError(f"--map {entry!r}: expected LABEL=SECTION")
        pairs[label] = section
    report, wrong = evaluate_sections(load(config_path), [Path(p) for p in labels], pairs, dense)
    click.echo(report)
    if errors:
        click.echo("\n".join(wrong))
