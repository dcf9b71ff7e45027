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
CACHE = ".archive-cache.json"  # what each day's JSON said, so an unchanged day is not re-read
CACHE_VERSION = 2  # 2: with `provisional`


def write_archive(config: Config) -> list[Path]:
    """Write the archive pages of `config`'s output folder; return the files that changed."""
    out = config.output_dir
    cache = _load_cache(out / CACHE)
    known = json.dumps(cache, sort_keys=True)
    archive = read_archive(out, config.title, config.desk or "", config.output.base_url, cache)
    templates = Templates(config.templates_dir, config.zone)
    files = {
        out / ARCHIVE: render_archive(archive, templates).encode("utf-8"),
        out / FEED: render_feed(archive, clock.now()),
    }
    if json.dumps(cache, sort_keys=True) != known:
        files[out / CACHE] = json.dumps({"version": CACHE_VERSION, "days": cache}).encode()
    days = [e.date for e in reversed(archive.entries) if "html" in e.files]  # oldest first
    css = templates.source("screen.css") if days else ""
    for i, day in enumerate(days):
        folder = out / day.isoformat()
        earlier = days[i - 1] if i > 0 else None
        later = days[i + 1] if i + 1 < len(days) else None
        files[folder / PREVIOUS] = render_step(PREVIOUS, day, earlier, css).encode("utf-8")
        files[folder / NEXT] = render_step(NEXT, day, later, css).encode("utf-8")
    changed = {path: data for path, data in files.items() if not _holds(path, data)}
    write_all(changed)
    for path in changed:
        log.info("wrote %s", path)
    return list(changed)


def read_archive(
    out: Path,
    title: str,
    desk: str = "",
    base_url: str | None = None,
    cache: dict[str, Any] | None = None,
) -> Archive:
    """Every day built into `out`, newest first (`title` for days without a JSON edition).

    `cache` (day -> what its JSON file said, and that file's identity) spares re-reading the
    JSON of days that did not change; it is brought up to date in place."""
    cache = {} if cache is None else cache
    seen: set[str] = set()
    entries: list[ArchiveEntry] = []
    folders = sorted(out.iterdir()) if out.is_dir() else []
    for folder in folders:
        if not DAY_FOLDER.fullmatch(folder.name) or not folder.is_dir():
            continue
        try:
            day = date.fromisoformat(folder.name)
        except ValueError:
            continue
        entry = read_day(folder, day, title, cache)
        if entry is not None:
            entries.append(entry)
            seen.add(folder.name)
    for gone in set(cache) - seen:
        del cache[gone]
    entries.sort(key=lambda e: e.date, reverse=True)
    return Archive(title, entries, desk, base_url)


def read_day(
    folder: Path, day: date, title: str, cache: dict[str, Any] | None = None
) -> ArchiveEntry | None:
    """The briefing of `day` in `folder`, or None when it holds no briefing file."""
    names = {fmt: file_name(day, fmt) for fmt in LISTED}
    files = {fmt: f"{folder.name}/{n}" for fmt, n in names.items() if (folder / n).is_file()}
    if not files:
        return None
    entry = ArchiveEntry(day, title, files)
    if "json" not in files:
        return entry
    path = folder / names["json"]
    cache = {} if cache is None else cache
    try:
        stat = path.stat()
        identity = [stat.st_ino, stat.st_mtime_ns, stat.st_size]  # a rebuild makes a new file
        kept = cache.get(folder.name)
        if isinstance(kept, dict) and kept.get("file") == identity:
            try:
                _fill(entry, kept["summary"])
                return entry
            except (ValueError, TypeError, KeyError):  # a damaged cache: read the file again
                entry = ArchiveEntry(day, title, files)
        kept = {"file": identity, "summary": summary(json.loads(path.read_text("utf-8")))}
        cache[folder.name] = kept
        _fill(entry, kept["summary"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("archive: cannot read %s (%s); listed without its counts", path, exc)
        cache.pop(folder.name, None)
        entry = ArchiveEntry(day, title, files)
    return entry


def summary(data: dict[str, Any]) -> dict[str, Any]:
    """What the archive takes from a day's JSON edition: title, counts, generation time and
    the key developments with their headlines and outlets."""
    counts = data["counts"]
    shown = {
        str(s["id"]): s
        for section in data.get("sections") or []
        for s in section.get("stories") or []
        if s.get("shown", True)
    }
    ids = data.get("key_developments")
    if not isinstance(ids, list):  # written before the JSON named them: most outlets first
        ids = sorted(shown, key=lambda i: _rank(shown[i]))[:KEY_DEVELOPMENTS]
    return {
        "title": str(data.get("title") or ""),
        "items": int(counts["items"]),
        "stories": int(counts["stories"]),
        "outlets": int(counts["outlets"]),
        "dropped": int(counts.get("dropped") or 0),
        "generated_at": str(data.get("generated_at") or ""),
        "provisional": bool(data.get("provisional")),
        "key_developments": [
            [str(story_id), str(shown[str(story_id)]["headline"]), _outlets(shown[str(story_id)])]
            for story_id in ids
            if str(story_id) in shown
        ],
    }


def _fill(entry: ArchiveEntry, kept: dict[str, Any]) -> None:
    entry.title = kept["title"] or entry.title
    entry.item_count, entry.story_count = kept["items"], kept["stories"]
    entry.outlet_count, entry.dropped = kept["outlets"], kept["dropped"]
    entry.provisional = bool(kept.get("provisional"))
    if kept["generated_at"]:
        entry.generated_at = datetime.fromisoformat(kept["generated_at"])
    entry.key_developments = [
        ArchiveStory(story_id, headline, list(outlets))
        for story_id, headline, outlets in kept["key_developments"]
    ]


def _outlets(story: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(str(i.get("outlet") or "") for i in story.get("items") or []))


def _rank(story: dict[str, Any]) -> tuple[int, float, str]:
    """What older builds ranked by, from what the JSON keeps: most outlets, then most recent,
    then id."""
    times = [
        datetime.fromisoformat(i["published"]).timestamp()
        for i in story.get("items") or []
        if i.get("published")
    ]
    return (-len(_outlets(story)), -max(times, default=0.0), str(story["id"]))


def _load_cache(path: Path) -> dict[str, Any]:
    """The days' summaries kept by the last archive write (none when missing or unreadable:
    it is only a cache, remade from the JSON files)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and data.get("version") == CACHE_VERSION
    return dict(data["days"]) if ok and isinstance(data.get("days"), dict) else {}


def _holds(path: Path, data: bytes) -> bool:
    """`path` already has exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
