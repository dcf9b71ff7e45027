"""The archive of an output folder: `index.html`, `feed.xml` and each day's `previous.html` and
`next.html`, remade after every build, run and deliver from the briefings' own files.

What was built is what the folder holds: every `YYYY-MM-DD/` folder with a briefing file is a
built day, and its JSON edition gives its title, counts and key developments. So the archive
needs no store, lists days built by any means (and forgets days whose folder was deleted), and
the same files always give the same archive and feed; a page whose bytes did not change is not
rewritten.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import clock
from ..config import Config
from ..files import file_name, write_all
from ..models import Archive, ArchiveEntry, ArchiveStory
from ..render import Templates
from ..render.site import ARCHIVE, FEED, NEXT, PREVIOUS, render_archive, render_feed, render_step

log = logging.getLogger("briefing")

DAY_FOLDER = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LISTED = ("html", "pdf", "md", "json", "email")  # the order the archive links the formats in
KEY_DEVELOPMENTS = 5


def write_archive(config: Config) -> list[Path]:
    """Write the archive pages of `config`'s output folder; return the files that changed."""
    out = config.output_dir
    archive = read_archive(out, config.title, config.desk or "", config.output.base_url)
    templates = Templates(config.templates_dir, config.zone)
    files = {
        out / ARCHIVE: render_archive(archive, templates).encode("utf-8"),
        out / FEED: render_feed(archive, clock.now()),
    }
    days = [e.date for e in reversed(archive.entries) if "html" in e.files]  # oldest first
    for i, day in enumerate(days):
        folder = out / day.isoformat()
        earlier = days[i - 1] if i > 0 else None
        later = days[i + 1] if i + 1 < len(days) else None
        files[folder / PREVIOUS] = render_step(PREVIOUS, day, earlier).encode("utf-8")
        files[folder / NEXT] = render_step(NEXT, day, later).encode("utf-8")
    changed = {path: data for path, data in files.items() if not _holds(path, data)}
    write_all(changed)
    for path in changed:
        log.info("wrote %s", path)
    return list(changed)


def read_archive(out: Path, title: str, desk: str = "", base_url: str | None = None) -> Archive:
    """Every day built into `out`, newest first (`title` for days without a JSON edition)."""
    entries: list[ArchiveEntry] = []
    folders = sorted(out.iterdir()) if out.is_dir() else []
    for folder in folders:
        if not DAY_FOLDER.fullmatch(folder.name) or not folder.is_dir():
            continue
        try:
            day = date.fromisoformat(folder.name)
        except ValueError:
            continue
        entry = read_day(folder, day, title)
        if entry is not None:
            entries.append(entry)
    entries.sort(key=lambda e: e.date, reverse=True)
    return Archive(title, entries, desk, base_url)


def read_day(folder: Path, day: date, title: str) -> ArchiveEntry | None:
    """The briefing of `day` in `folder`, or None when it holds no briefing file."""
    names = {fmt: file_name(day, fmt) for fmt in LISTED}
    files = {fmt: f"{folder.name}/{n}" for fmt, n in names.items() if (folder / n).is_file()}
    if not files:
        return None
    entry = ArchiveEntry(day, title, files)
    if "json" in files:
        path = folder / names["json"]
        try:
            _fill(entry, json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("archive: cannot read %s (%s); listed without its counts", path, exc)
            entry = ArchiveEntry(day, title, files)
    return entry


def _fill(entry: ArchiveEntry, data: dict[str, Any]) -> None:
    """Title, counts, generation time and key developments from a day's JSON edition."""
    entry.title = str(data.get("title") or entry.title)
    counts = data["counts"]
    entry.item_count = int(counts["items"])
    entry.story_count = int(counts["stories"])
    entry.outlet_count = int(counts["outlets"])
    entry.dropped = int(counts.get("dropped") or 0)
    if data.get("generated_at"):
        entry.generated_at = datetime.fromisoformat(str(data["generated_at"]))
    shown = {
        str(s["id"]): s
        for section in data.get("sections") or []
        for s in section.get("stories") or []
        if s.get("shown", True)
    }
    ids = data.get("key_developments")
    if not isinstance(ids, list):  # written before the JSON named them: rank as builds do
        ids = sorted(shown, key=lambda i: _rank(shown[i]))[:KEY_DEVELOPMENTS]
    for story_id in ids:
        story = shown.get(str(story_id))
        if story is not None:
            entry.key_developments.append(
                ArchiveStory(str(story["id"]), str(story["headline"]), _outlets(story))
            )


def _outlets(story: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(str(i.get("outlet") or "") for i in story.get("items") or []))


def _rank(story: dict[str, Any]) -> tuple[int, float, str]:
    """`models.story_rank` from what the JSON keeps: most outlets, then most recent, then id."""
    times = [
        datetime.fromisoformat(i["published"]).timestamp()
        for i in story.get("items") or []
        if i.get("published")
    ]
    return (-len(_outlets(story)), -max(times, default=0.0), str(story["id"]))


def _holds(path: Path, data: bytes) -> bool:
    """`path` already has exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
