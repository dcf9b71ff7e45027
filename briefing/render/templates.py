"""Templates: the lookup path (the config's `templates:` directory first, then the defaults, a
`default:` prefix to extend a default) and the filters they may use.

Stored text is already plain, so HTML relies on Jinja's autoescape and Markdown on the `md`
filter; neither ever emits raw HTML from a feed.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from ..errors import ConfigError
from ..text.plural import plural

TEMPLATES = (
    "briefing.md.j2",
    "briefing.html.j2",
    "email.html.j2",
    "archive.html.j2",
    "screen.css",
    "print.css",
)
# Enough for inline text (never at a line start): emphasis, code, links, HTML, tables, entities.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")


def default_templates_dir() -> Path:
    """Inside the installed wheel, or the repository's `templates/` in a source checkout."""
    package = Path(__file__).parent.parent
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"


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
        env.filters["plural"] = plural
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
    """`value` in the briefing's zone, formatted by strftime; `%-d` is the day of the month
    without a leading zero ("5 Dec"), on every platform."""
    if not value:
        return ""
    here = value.astimezone(zone)
    return here.strftime(fmt.replace("%-d", str(here.day)))
