"""The config schema, continued: the day window, the schedule and delivery targets."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator

from .config import _known_zone, _Strict

_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WindowConfig(_Strict):
    end: str = Field("00:00", pattern=_HHMM)
    """When D's 24-hour window closes, on day D (`"07:00"`: the 24 hours before D 07:00).
    `"00:00"` (the default) means the midnight that ends D: the calendar day D."""


class ScheduleConfig(_Strict):
    at: str = Field("07:00", pattern=_HHMM)
    """Time of day of the scheduled cycle (quote it: `"07:00"`)."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        list(DAYS), min_length=1
    )
    """Days of the week with a cycle."""

    cron: str | None = None
    """A cron expression (`"0 7 * * 1-5"`) instead of `at` and `days`."""

    timezone: str | None = None
    """Time zone of the schedule; default: the config's `timezone`."""

    misfire_grace: str = Field("6h", pattern=r"^\d+\s*[smhd]?$")
    """How late a missed cycle may still run after downtime (`90s`, `30m`, `6h`, `1d`)."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return _known_zone(value) if value is not None else None

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        """Checked now, so a bad expression fails `briefing check`, not the scheduler later."""
        if value is None:
            return None
        from apscheduler.triggers.cron import CronTrigger

        from .schedule import _cron_weekdays

        fields = value.split()
        if len(fields) != 5:
            raise ValueError("expected five fields: minute hour day-of-month month day-of-week")
        try:
            fields[4] = _cron_weekdays(fields[4])
            CronTrigger.from_crontab(" ".join(fields), timezone="UTC")
        except ValueError as exc:
            raise ValueError(f"not a valid cron expression ({exc})") from None
        return value

    @property
    def grace_seconds(self) -> int:
        number, unit = int(self.misfire_grace.rstrip("smhd ")), self.misfire_grace[-1]
        return number * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit, 1)


class EmailTarget(_Strict):
    model_config = ConfigDict(populate_by_name=True)

    type: Literal["email"]
    """`email`: the briefing as an HTML mail with a text part and the PDF attached."""

    host: str
    """SMTP server."""

    port: int = Field(587, ge=1, le=65535)
    """SMTP port (587 with STARTTLS, 465 with SSL, 25 plain)."""

    security: Literal["starttls", "ssl", "none"] = "starttls"
    """How the connection is encrypted."""

    username: str | None = None
    """SMTP login, if the server wants one."""

    password_env: str | None = None
    """Name of the environment variable holding the SMTP password (never the password)."""

    @field_validator("password_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        # never echo the value: it may be the password itself, put in the wrong key
        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError(
                "expected the name of an environment variable (like BRIEFING_SMTP_PASSWORD), "
                "not a password: passwords never go in the config file"
            )
        return value

    sender: str = Field(alias="from")
    """The From address, e.g. `"Daily briefing <briefing@example.org>"`."""

    to: list[str] = Field(min_length=1)
    """Recipients; each gets their own message."""

    cc: list[str] = []
    """Copy recipients (each gets their own message too)."""

    bcc: list[str] = []
    """Blind copy recipients (their own message, not shown to others)."""

    subject: str = "{{ title }} — {{ date }}"
    """Subject template (Jinja: `title`, `date`, `stories`, `items`)."""

    timeout: float = Field(30, gt=0, le=600)
    """Seconds for each SMTP operation."""

    retries: int = Field(3, ge=0, le=10)
    """Retries of a temporary (4xx) failure, with backoff."""

    backoff: float = Field(2.0, ge=0, le=300)
    """Seconds before the first retry; doubles after each."""

    max_attachment_mb: float = Field(20, gt=0)
    """A PDF larger than this is left off, with a note in the body."""


class DirectoryTarget(_Strict):
    type: Literal["directory"]
    """`directory`: copy files into a folder (a synced share), atomically."""

    path: str
    """The folder (relative to the config file)."""

    formats: list[Literal["md", "html", "json", "pdf", "email"]] = ["pdf"]
    """Which of the built files to copy."""


class WebhookTarget(_Strict):
    type: Literal["webhook"]
    """`webhook`: POST a JSON summary (Slack-compatible `text` included)."""

    url: str
    """Where to POST."""

    link: str | None = None
    """Base URL where briefings are published; the summary links to `<link>/<date>/`."""

    allow_private: bool = False
    """Allow `url` to be a loopback, private or link-local address."""

    timeout: float = Field(10, gt=0, le=600)
    """Seconds for the whole request."""


Target = Annotated[EmailTarget | DirectoryTarget | WebhookTarget, Field(discriminator="type")]
TARGET_TYPES = ("email", "directory", "webhook")
