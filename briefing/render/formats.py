"""Markdown, HTML, email and JSON from a Briefing, and every format of a build at once (the PDF
through `pdf.py`, which keeps WeasyPrint out of a Markdown-only build)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from ..errors import ConfigError, WorkError
from ..files import FORMATS
from ..models import Briefing, Story
from .templates import Templates


def render_markdown(briefing: Briefing, templates: Templates) -> str:
    template = templates.get(templates.text, "briefing.md.j2")
    return _run(template, briefing, "briefing.md.j2")


def render_html(briefing: Briefing, templates: Templates) -> str:
    template = templates.get(templates.html, "briefing.html.j2")
    css = Markup(templates.source("screen.css"))  # a template author's file, not feed text
    return _run(template, briefing, "briefing.html.j2", css=css)


def render_email(briefing: Briefing, templates: Templates) -> str:
    """HTML for a mail body: inline styles only, no <style>, no external resources."""
    template = templates.get(templates.html, "email.html.j2")
    return _run(template, briefing, "email.html.j2")


def _run(template: jinja2.Template, briefing: Briefing, name: str, **extra: Any) -> str:
    return run_template(template, name, b=briefing, **extra)


def run_template(template: jinja2.Template, name: str, **context: Any) -> str:
    """Render `template`; a template that fails is a one-line ConfigError naming its file and
    line (the author must fix it), never a traceback."""
    try:
        return template.render(**context)
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(str(p) for p in getattr(template.environment, "roots", []))
        raise ConfigError(f"template {exc.name!r} not found (searched {searched})") from None
    except jinja2.TemplateError as exc:
        where = f"{template.filename or name}:{_template_line(exc, template.filename)}"
        message = str(exc.message or type(exc).__name__).splitlines()[0][:200]
        raise ConfigError(f"{where}: template error: {message}") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        # a filter or method given what it cannot take (`b.title | local`)
        where = f"{template.filename or name}:{_template_line(exc, template.filename)}"
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        raise ConfigError(f"{where}: template error: {message}") from None


def _template_line(exc: BaseException, filename: str | None) -> str:
    """The template line being rendered when `exc` was raised (Jinja maps code to lines)."""
    tb, line = exc.__traceback__, "?"
    while tb is not None:
        if filename and tb.tb_frame.f_code.co_filename == filename:
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line


def render_json(briefing: Briefing, templates: Templates | None = None) -> str:
    """Indented, each story on one line: a program reads it whole, a person finds a story by
    line, and Python's encoder indents every field of a story several times slower than it
    writes the line (0.18 s against 0.04 s on a 10,000-item day)."""
    return _indented(briefing_data(briefing), "") + "\n"


def _indented(value: Any, margin: str) -> str:
    """`value` as json.dumps(indent=2) writes it at `margin`, but a section's stories one per
    line. (The encoder's newlines are all between values: a string's are escaped.)"""
    inner = margin + "  "
    if isinstance(value, dict) and value:
        fields = [f"{inner}{_dumps(k)}: {_field(k, v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(fields) + f"\n{margin}}}"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + f"\n{margin}]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + margin)


def _field(key: str, value: Any, margin: str) -> str:
    if key == "stories" and isinstance(value, list) and value:
        return "[\n" + ",\n".join(margin + "  " + _dumps(v) for v in value) + f"\n{margin}]"
    return _indented(value, margin)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def briefing_data(b: Briefing) -> dict[str, Any]:
    """The JSON contract the README documents (extra keys may be added, none removed)."""
    zone = ZoneInfo(b.timezone)
    return {
        "date": b.date.isoformat(),
        "title": b.title,
        "timezone": b.timezone,
        "window": {"start": b.window_start.isoformat(), "end": b.window_end.isoformat()},
        "counts": {
            "items": b.item_count,
            "stories": b.story_count,
            "sources": sum(1 for s in b.sources if s.items),
            "outlets": b.outlet_count,
            "dropped": b.dropped,
        },
        "generated_at": b.generated_at.astimezone(zone).isoformat(),
        "version": b.version,
        "provisional": b.provisional,
        "key_developments": [s.id for s in b.key_developments],
        "sections": [
            {
                "id": sec.id,
                "title": sec.title,
                "stories": [
                    _story_data(s, zone, i < len(sec.visible)) for i, s in enumerate(sec.stories)
                ],
            }
            for sec in b.sections
        ],
        "sources": [
            {"name": s.name, "items": s.items, "status": s.status, "off_topic": s.off_topic}
            for s in b.sources
        ],
    }


def _story_data(story: Story, zone: ZoneInfo, shown: bool) -> dict[str, Any]:
    first = story.first_reported
    return {
        "id": story.id,
        "headline": story.headline,
        "summary": " ".join(s.text for s in story.summary),
        "sentences": [
            {"text": s.text, "item": s.item_id, "url": s.url, "cut": s.cut} for s in story.summary
        ],
        "also": [{"text": s.text, "item": s.item_id, "url": s.url} for s in story.also],
        "first_reported": first.astimezone(zone).isoformat() if first else None,
        "developing": story.developing,
        "tags": story.tags,
        "shown": shown,
        "items": [
            {
                "id": i.id,
                "source": i.source,
                "outlet": i.outlet,
                "title": i.title,
                "url": i.url,
                "published": i.published.isoformat() if i.published else None,
            }
            for i in story.items
        ],
    }


RENDERERS: dict[str, Callable[[Briefing, Templates], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
    "email": render_email,
}


def render_all(
    briefing: Briefing,
    templates: Templates,
    formats: list[str],
    paths: dict[str, Path],
    pdf_timeout: float,
    pdf_worker: Any = None,
) -> tuple[dict[str, bytes], list[str]]:
    """Every wanted format's bytes, in the order of FORMATS, and one line per format that could
    not be made: a PDF that fails or overruns is reported and the others are still made."""
    rendered: dict[str, bytes] = {}
    problems: list[str] = []
    html = None
    for fmt in FORMATS:
        if fmt not in formats:
            continue
        if fmt == "pdf":
            from .pdf import render_pdf_within

            html = html or render_html(briefing, templates)
            css = templates.source("print.css")
            try:
                rendered[fmt] = render_pdf_within(
                    html, css, templates.roots, pdf_timeout, worker=pdf_worker
                )
            except WorkError as exc:  # the PDF alone is lost: the other formats still appear
                others = "; the other formats were written" if len(formats) > 1 else ""
                problems.append(f"{paths[fmt]} not written: {exc}{others}")
            continue
        text = RENDERERS[fmt](briefing, templates)
        html = text if fmt == "html" else html
        rendered[fmt] = text.encode("utf-8")
    return rendered, problems
