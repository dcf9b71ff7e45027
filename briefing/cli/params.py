"""Parameters the `briefing` commands share: dates, format lists, --config, loading it."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..files import FORMATS
from ..text.stamps import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from ..config import Config


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        text = str(value)
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            self.fail(f"{text!r} is not a date in the form YYYY-MM-DD", param, ctx)
        try:
            day = date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a valid calendar date", param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            years = f"{FIRST_YEAR}-{LAST_YEAR}"
            self.fail(f"{text!r} is outside the years {years}", param, ctx)
        return day


class FormatList(click.ParamType):
    name = ",".join(FORMATS)

    def convert(self, value: Any, param: Any, ctx: Any) -> list[str]:
        if isinstance(value, list):
            return value
        parts = [p.strip().lower() for p in str(value).split(",") if p.strip()]
        bad = [p for p in parts if p not in FORMATS]
        if bad or not parts:
            self.fail(
                f"unknown format {bad[0] if bad else value!r} (choose from {', '.join(FORMATS)})",
                param,
                ctx,
            )
        return list(dict.fromkeys(parts))


config_option = click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Config file (default ./config.yaml, then $BRIEFING_CONFIG).",
)
configs_option = click.option(
    "--config",
    "config_paths",
    metavar="PATH",
    multiple=True,
    help="Config file (default ./config.yaml, then $BRIEFING_CONFIG); repeat it for several "
    "desks sharing one store.",
)


def load(config_path: str | None) -> Config:
    """The config that --config names (or the default one), validated."""
    from ..config import find_config, load_config

    return load_config(find_config(config_path))
