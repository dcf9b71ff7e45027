"""Labelled items for `briefing eval`: JSON lines in the devset's format (outlet, url,
published, headline, body, story, offtopic, primary), made into items the way a feed's entries
are, or pointing into a clipping that the clipping source reads as collection would."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import UsageError
from ..models import Item
from ..sources import ClippingSource, Document, ParseContext
from ..sources.entries import entry_item
from ..text.clean import title_text


@dataclass
class Labelled:
    item: Item
    story: str
    offtopic: bool
    primary: str
    alternatives: frozenset[str] = frozenset()  # other sections that would be defensible
    themes: frozenset[str] = frozenset()  # every section the item belongs in (may be unknown)


def load_all(paths: list[Path], zone: ZoneInfo, dense: bool = False) -> list[Labelled]:
    """Labelled items of several files, measured as one set; with `dense`, on one day."""
    labelled = [lab for path in paths for lab in load_labels(path, zone)]
    return on_one_day(labelled, zone) if dense else labelled


def on_one_day(labelled: list[Labelled], zone: ZoneInfo) -> list[Labelled]:
    """Every item moved onto the set's last day at its own time of day, to be built as one
    day: events of one kind spread over their own dates rarely meet, a desk's busy day has
    many. The text is left as it is, dates it states included."""
    if not labelled:
        return labelled
    day = max(lab.item.when.astimezone(zone).date() for lab in labelled)
    out = []
    for lab in labelled:
        local = lab.item.when.astimezone(zone)
        when = datetime.combine(day, local.timetz())
        published = when if lab.item.published is not None else None
        moved = replace(lab.item, published=published, captured=when.astimezone(UTC))
        out.append(replace(lab, item=moved))
    return out


def load_labels(path: Path, zone: ZoneInfo) -> list[Labelled]:
    """Labelled items from JSON lines: each line holds the item's text, or points into a
    clipping (`seed`: a path relative to the labels file, with `captured`, `timezone`, `outlet`
    and `match`, the start of the item's title) so captures need not be copied into labels."""
    out: list[Labelled] = []
    clippings: dict[str, list[Item]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read labels ({exc.strerror})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if "seed" in row:
                item = _from_clipping(path.parent, row, zone, clippings)
                labelled = Labelled(
                    item,
                    str(row["story"]),
                    bool(row.get("offtopic")),
                    str(row.get("primary")),
                    _alternatives(row),
                    _themes(row),
                )
                out.append(labelled)
            else:
                out.append(_labelled(row, zone))
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise UsageError(f"{path}:{number}: not a labelled item ({exc})") from None
    return out


def _from_clipping(
    base: Path, row: dict[str, Any], zone: ZoneInfo, cache: dict[str, list[Item]]
) -> Item:
    file = (base / row["seed"]).resolve()
    key = f"{file}|{row.get('captured')}|{row.get('timezone')}|{row.get('outlet')}"
    if key not in cache:
        source = ClippingSource(
            name="labels",
            type="clipping",
            path=str(file),
            captured=row.get("captured"),
            timezone=row.get("timezone"),
            outlet=row.get("outlet"),
        )
        doc = Document(str(file), file.read_bytes())
        cache[key] = source.parse(doc, ParseContext(datetime.now(UTC), zone)).items
    found = list({i.id: i for i in cache[key] if i.title.startswith(row["match"])}.values())
    if len(found) != 1:
        raise ValueError(f"{len(found)} items of {row['seed']} start with {row['match']!r}")
    return found[0]


def _labelled(row: dict[str, Any], zone: ZoneInfo) -> Labelled:
    stamp = str(row["published"])
    date_only = len(stamp) == 10
    when = datetime.fromisoformat(stamp)
    if date_only:
        when = datetime.combine(when.date(), time(12), zone)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    outlet = title_text(row["outlet"])
    body = row.get("body") or ""
    item = entry_item(
        "labels",
        outlet,
        row.get("url"),
        row.get("headline"),
        body,
        when,
        when.astimezone(UTC),
        date_only=date_only,
    )
    if item is None:
        raise ValueError("no headline and no body")
    return Labelled(
        item,
        str(row["story"]),
        bool(row.get("offtopic")),
        str(row.get("primary")),
        _alternatives(row),
        _themes(row),
    )


def _themes(row: dict[str, Any]) -> frozenset[str]:
    """The labels' `themes`: all the sections that apply."""
    value = row.get("themes") or []
    if not isinstance(value, list):
        raise ValueError("themes must be a list")
    return frozenset(str(v) for v in value)


def _alternatives(row: dict[str, Any]) -> frozenset[str]:
    """The labels' `primary_alternatives`: sections that would also be a defensible primary."""
    value = row.get("primary_alternatives") or []
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset()
