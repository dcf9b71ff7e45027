"""Render: a Briefing into Markdown, HTML and JSON (PDF lives in pdf.py to keep WeasyPrint lazy).

Templates are looked up in the config's `templates:` directory first, then the defaults; an
override can extend a default as `default:briefing.html.j2`. Stored text is already plain, so
HTML relies on Jinja's autoescape and Markdown on the `md` filter; neither ever emits raw HTML
from a feed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from .errors import ConfigError
from .models import Briefing, Story

TEMPLATES = ("briefing.md.j2", "briefing.html.j2", "email.html.j2", "screen.css", "print.css")
# Enough for inline text (never at a line start): emphasis, code, links, HTML, tables, entities.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")


def default_templates_dir() -> Path:
    """Inside the installed wheel, or the repository's `templates/` in a source checkout."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


class Templates:
    """Two Jinja environments over one lookup path: HTML autoescaped, Markdown not."""

    def __init__(self, user_dir: Path | None, zone: ZoneInfo) -> None:
        self.default_dir = default_templates_dir()
        self.user_dir = user_dir
        default = jinja2.FileSystemLoader(self.default_dir)
        chain: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({"default": default}, ":")]
        if user_dir is not None:
            chain.append(jinja2.FileSystemLoader(user_dir))
        chain.append(default)
        loader = jinja2.ChoiceLoader(chain)
        self.html = self._env(loader, zone, autoescape=True)
        self.text = self._env(loader, zone, autoescape=False)
        for env in (self.html, self.text):
            env.roots = self.roots  # type: ignore[attr-defined]  # for "not found" messages
        self.text.filters["md"] = md_escape
        self.text.filters["mdurl"] = md_url

    @staticmethod
    def _env(loader: jinja2.BaseLoader, zone: ZoneInfo, autoescape: bool) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=loader,
            autoescape=autoescape,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["local"] = lambda dt, fmt="%Y-%m-%d %H:%M": _local(dt, zone, fmt)
        env.filters["markdown"] = markdown_html
        env.filters["longdate"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
        env.filters["plural"] = lambda n, word, many=None: (
            f"{n} {word if n == 1 else (many or word + 's')}"
        )
        return env

    @property
    def roots(self) -> list[Path]:
        """The template directories, the user's first."""
        return [self.user_dir, self.default_dir] if self.user_dir else [self.default_dir]

    @property
    def searched(self) -> str:
        dirs = [self.user_dir, self.default_dir] if self.user_dir else [self.default_dir]
        return ", ".join(str(d) for d in dirs)

    def get(self, env: jinja2.Environment, name: str) -> jinja2.Template:
        try:
            return env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise ConfigError(
                f"template {exc.name!r} not found (searched {self.searched})"
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise ConfigError(
                f"{where}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None

    def source(self, name: str) -> str:
        """Raw text of a non-template file (a stylesheet), with the same lookup."""
        try:
            text, _, _ = self.html.loader.get_source(self.html, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            raise ConfigError(f"template {name!r} not found (searched {self.searched})") from None
        return text

    def check(self) -> list[str]:
        """Problems with any template on the lookup path, for `briefing check`."""
        problems: list[str] = []
        for name in TEMPLATES:
            try:
                if name.endswith(".j2"):
                    self.get(self.html if ".html" in name else self.text, name)
                else:
                    self.source(name)
            except ConfigError as exc:
                problems.extend(exc.problems)
        return problems


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
    try:
        return template.render(b=briefing, **extra)
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(str(p) for p in getattr(template.environment, "roots", []))
        raise ConfigError(f"template {exc.name!r} not found (searched {searched})") from None
    except jinja2.TemplateError as exc:
        where = f"{template.filename or name}:{_template_line(exc, template.filename)}"
        message = str(exc.message or type(exc).__name__).splitlines()[0][:200]
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
    return json.dumps(briefing_data(briefing), ensure_ascii=False, indent=2) + "\n"


def briefing_data(b: Briefing) -> dict[str, Any]:
    """The JSON contract of design.md (extra keys may be added, none removed)."""
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
        "sources": [{"name": s.name, "items": s.items, "status": s.status} for s in b.sources],
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


def md_escape(text: str) -> str:
    """Backslash-escape Markdown punctuation so feed text is shown, never interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_url(url: str) -> str:
    """A plain link destination that cannot break out of `(...)` (chat tools that know only
    `[text](url)` render it too): spaces, angle brackets and parentheses percent-encoded."""
    return re.sub(r"[\s<>()]", lambda m: f"%{ord(m.group()):02X}", url)


def markdown_html(text: str) -> Markup:
    """Editor-written Markdown (config descriptions) to HTML, with raw HTML disabled."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).render(text or ""))


def _local(value: datetime | None, zone: ZoneInfo, fmt: str) -> str:
    return value.astimezone(zone).strftime(fmt) if value else ""


RENDERERS: dict[str, Callable[[Briefing, Templates], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
    "email": render_email,
}
