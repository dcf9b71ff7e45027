"""Rendering: a Briefing into Markdown, HTML, email HTML, JSON and PDF, through templates a
config may override. Nothing here reads the store or the network."""

from .formats import (
    RENDERERS,
    briefing_data,
    render_all,
    render_email,
    render_html,
    render_json,
    render_markdown,
)
from .templates import TEMPLATES, Templates, default_templates_dir

__all__ = [
    "RENDERERS",
    "TEMPLATES",
    "Templates",
    "briefing_data",
    "default_templates_dir",
    "render_all",
    "render_email",
    "render_html",
    "render_json",
    "render_markdown",
]
