"""The pages around the briefings: the archive (`index.html`, a template like the others), the
Atom feed of the latest briefings (`feed.xml`) and the two small pages each day's folder gets
for its briefing's "previous" and "next" links, which lead to its neighbours.

A briefing's HTML is rendered once and rebuilt byte for byte, so it cannot name its neighbours
(the next day does not exist yet when it is built); it links to `previous.html` and
`next.html` beside it instead, and those are remade from the built files on every build.
Nothing here reads a file: `pipeline/archive.py` reads the built days and writes what these
functions return.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

from markupsafe import Markup, escape

from .. import __version__
from ..models import Archive, ArchiveEntry
from ..text.plural import plural
from .formats import run_template
from .templates import Templates

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 30
ARCHIVE = "index.html"
FEED = "feed.xml"
PREVIOUS, NEXT = "previous.html", "next.html"
FORMAT_LABELS = {"html": "HTML", "pdf": "PDF", "md": "Markdown", "json": "JSON", "email": "Email"}


def render_archive(archive: Archive, templates: Templates) -> str:
    """`index.html`: every built briefing, newest first (templates/archive.html.j2)."""
    template = templates.get(templates.html, "archive.html.j2")
    css = Markup(templates.source("screen.css"))  # a template author's file, not feed text
    return run_template(
        template,
        "archive.html.j2",
        archive=archive,
        css=css,
        labels=FORMAT_LABELS,
        version=__version__,
    )


def counts_line(entry: ArchiveEntry) -> str:
    """`16 stories from 32 items, 7 outlets` (empty when the day has no JSON edition)."""
    if entry.story_count is None or entry.item_count is None:
        return ""
    if not entry.story_count:
        return "no new items on the topic"
    outlets = f", {plural(entry.outlet_count, 'outlet')}" if entry.outlet_count else ""
    items = plural(entry.item_count, "item")
    return f"{plural(entry.story_count, 'story')} from {items}{outlets}"


def day_name(day: date) -> str:
    """`Wednesday 28 May 2025`, the date style of every page."""
    return f"{day:%A} {day.day} {day:%B %Y}"


# --- the Atom feed -------------------------------------------------------------------------


def render_feed(archive: Archive, now: datetime) -> bytes:
    """Atom 1.0 (RFC 4287) of the latest FEED_ENTRIES briefings, newest first: one entry per
    day, its id fixed by the day, so a rebuilt day updates its entry instead of adding one.
    Links are absolute under `archive.base_url`, else relative to the feed. `now` is the feed's
    `updated` only when no briefing was built yet; otherwise everything comes from the files,
    so the same files give the same feed."""
    ET.register_namespace("", ATOM)
    entries = archive.entries[:FEED_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", _id(archive))
    _text(feed, "title", archive.title)
    _text(feed, "subtitle", "Daily briefings")
    times = [_updated(e) for e in entries]
    _text(feed, "updated", _stamp(max(times) if times else now))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", archive.title)
    _text(feed, "generator", "briefing").set("version", __version__)
    _link(feed, "self", "application/atom+xml", _url(archive, FEED))
    _link(feed, "alternate", "text/html", _url(archive, ARCHIVE))
    for entry, updated in zip(entries, times, strict=True):
        _entry(feed, archive, entry, updated)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(feed: ET.Element, archive: Archive, entry: ArchiveEntry, updated: datetime) -> None:
    node = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(node, "id", _id(archive, entry.date))
    provisional = " (provisional)" if entry.provisional else ""
    _text(node, "title", f"{entry.title} — {day_name(entry.date)}{provisional}")
    _text(node, "updated", _stamp(updated))
    main = entry.files.get("html") or next(iter(entry.files.values()))
    _link(node, "alternate", "text/html" if "html" in entry.files else None, _url(archive, main))
    if "pdf" in entry.files:
        _link(node, "enclosure", "application/pdf", _url(archive, entry.files["pdf"]))
    summary = counts_line(entry)
    if summary:
        _text(node, "summary", summary)
    _text(node, "content", _content(archive, entry)).set("type", "html")


def _content(archive: Archive, entry: ArchiveEntry) -> str:
    """The key developments as HTML (escaped once here, once more by the XML): headlines
    linking into the briefing, their outlets, then the formats."""
    html = entry.files.get("html")
    parts: list[str] = []
    if entry.provisional:
        parts.append("<p><strong>Provisional:</strong> the window is still open.</p>")
    if entry.key_developments:
        parts.append("<p>Key developments:</p><ol>")
        for story in entry.key_developments:
            headline = escape(story.headline)
            if html:
                headline = Markup(f'<a href="{escape(_url(archive, html))}#{escape(story.id)}">')
                headline += escape(story.headline) + Markup("</a>")
            parts.append(f"<li>{headline} — {escape(', '.join(story.outlets))}</li>")
        parts.append("</ol>")
    elif entry.story_count == 0:
        parts.append("<p>No new items on this topic in this window.</p>")
    links = [
        f'<a href="{escape(_url(archive, path))}">{FORMAT_LABELS.get(fmt, fmt)}</a>'
        for fmt, path in entry.files.items()
    ]
    parts.append(f"<p>{' · '.join(links)}</p>")
    return "".join(parts)


def _id(archive: Archive, day: date | None = None) -> str:
    """A permanent id: from `base_url` when the output folder is published, else from the
    title and desk; an entry's adds its date."""
    key = archive.base_url or f"briefing:{archive.desk}:{archive.title}"
    if day is not None:
        key += f"#{day.isoformat()}"
    return uuid.uuid5(uuid.NAMESPACE_URL, key).urn


def _updated(entry: ArchiveEntry) -> datetime:
    """When the briefing was generated (a rebuild keeps it); midnight UTC of its day when it
    has no JSON edition to say so."""
    if entry.generated_at is not None:
        return entry.generated_at
    return datetime(entry.date.year, entry.date.month, entry.date.day, tzinfo=UTC)


def _url(archive: Archive, path: str) -> str:
    return (archive.base_url or "") + path


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    node.text = text
    return node


def _link(parent: ET.Element, rel: str, kind: str | None, href: str) -> None:
    node = ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href})
    if kind:
        node.set("type", kind)


# --- a day's "previous" and "next" pages ----------------------------------------------------


def render_step(direction: str, here: date, target: date | None, css: str = "") -> str:
    """`previous.html` or `next.html` of the day `here`: a redirect to the briefing `target`
    (a link too, for a browser that does not follow it), or, at either end of the archive, a
    page that says there is none yet, styled like the briefings (`css`, screen.css)."""
    back = f"briefing-{here.isoformat()}.html"
    earlier = direction == PREVIOUS
    if target is None:
        title = "No earlier briefing" if earlier else "No later briefing yet"
        refresh = ""
        link = f'<a href="{back}">← Back to {day_name(here)}</a>'
    else:
        href = f"../{target.isoformat()}/briefing-{target.isoformat()}.html"
        title = f"{'Previous' if earlier else 'Next'} briefing: {day_name(target)}"
        refresh = f'<meta http-equiv="refresh" content="0; url={href}">\n'
        link = f'<a href="{href}">{day_name(target)}</a>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="robots" content="noindex">\n'
        f"{refresh}<title>{title}</title>\n"
        f'<style media="screen">\n{css}</style>\n</head>\n<body>\n<main>\n'
        f"<h1>{title.partition(':')[0]}</h1>\n"
        f'<p>{link} · <a href="../{ARCHIVE}">All briefings</a></p>\n'
        "</main>\n</body>\n</html>\n"
    )
