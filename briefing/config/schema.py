"""The config schema's parts: output, topic gate, stories, classifier, sections, the day
window, the schedule and resource limits; a docstring under every key (the README's tables say
the same; a test keeps them in step).

Sources and delivery targets are not here: each type's keys live with its code and reach the
config through the registries (`briefing.sources`, `briefing.delivery`).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from ..files import DEFAULT_FORMATS, Format
from ..registry import Strict, known_zone
from ..text.clean import MAX_BODY, MAX_TITLE
from .cron import DAYS, Day, check_cron


class OutputConfig(Strict):
    dir: str = "output"
    """Directory that receives `YYYY-MM-DD/briefing-YYYY-MM-DD.<format>`; relative to the config
    file."""

    formats: list[Format] = DEFAULT_FORMATS
    """Formats written by `briefing build` unless `--format` says otherwise; `email` is the
    email-safe HTML (inline styles) used as a mail body, `briefing-D.email.html`."""

    base_url: str | None = None
    """Address where the output folder is published (`https://briefings.example.org/desk/`):
    the Atom feed `feed.xml` then links to each briefing absolutely, and its ids derive from it.
    Unset: the feed's links are relative to the feed."""

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        url = value.strip()
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
            raise ValueError(
                f"expected an http(s) address such as https://example.org/briefings/, got {value!r}"
            )
        return url if url.endswith("/") else url + "/"


class TopicConfig(Strict):
    require_any: list[str | dict[str, float]] = []
    """An item must match at least one of these terms (title or body) to enter the briefing.
    Empty: every item passes. `{term: 2}` weighs a term."""

    exclude: list[str | dict[str, float]] = []
    """Terms of look-alike topics; an item whose matches of these outweigh its `require_any`
    matches is dropped; a tie keeps it."""

    min_score: float = Field(1.0, ge=0)
    """Weighted `require_any` matches (title 3, body 1) an item needs to pass."""


class StoriesConfig(Strict):
    threshold: float = Field(0.12, gt=0, le=1)
    """Mean TF-IDF cosine similarity (titles twice, plus the first `lead_words` words) at which two
    groups of items are one event. Lower merges more; higher splits more."""

    link_threshold: float = Field(0.25, gt=0, le=1)
    """The same measure, for joining new items to a story of an earlier briefing. Higher than
    `threshold`, because a new development of an old story should be its own story."""

    hours: float = Field(48, gt=0, le=24 * 14)
    """Items published further apart than this are never the same event."""

    lookback_days: int = Field(2, ge=0, le=30)
    """A new item continues a story shown in the briefings of this many previous days; the story
    is then shown as developing, with only the new items."""

    summary_sentences: int = Field(3, ge=1, le=6)
    """At most this many sentences, each copied from an item and linked to it."""

    lead_words: int = Field(100, ge=10, le=500)
    """How much of each item's text (besides its title) is compared."""


class ClassifierConfig(Strict):
    kind: Literal["rules", "embedding"] = "rules"
    """`rules` (keywords only) or `embedding`: sentence embeddings place the stories the rules
    are unsure of (needs the `ml` extra)."""

    confident: float = Field(6.0, ge=0)
    """The rules decide alone when the best section scores at least this and 1.5 times the
    runner-up."""

    min_similarity: float = Field(0.3, ge=-1, le=1)
    """Below this similarity to every section's prototype, an unsure story goes to the
    catch-all."""


class SectionConfig(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)
    """Short identifier used in JSON and tags: lower-case letters, digits, `-` and `_`."""

    title: str
    """Heading shown in the briefing."""

    description: str = ""
    """Optional Markdown shown under the heading."""

    keywords: list[str | dict[str, float]] = []
    """Words and phrases that place a story here; case-insensitive, whole words, `*` matches any
    word ending (`negotiat*`); `{term: 2}` weighs a term double. A title match counts 3 times
    the weight, a body match once (half again for a second and third mention). A phrase of
    weight 0 listed before a word takes that word where the phrase occurs and counts nothing
    (`{"sanctions envoy": 0}` before `envoy`)."""

    exclude: list[str] = []
    """Terms that keep a story out of this section even when keywords match."""

    context: list[str | dict[str, float]] = []
    """Terms (same form as `keywords`) that add to the score only when a keyword matched too:
    the people and bodies that make this section's news, who also appear in stories that
    belong elsewhere."""

    min_score: float = Field(1.0, ge=0)
    """Score a story needs to land in this section."""

    priority: float = Field(1.0, ge=0, le=10)
    """How much this section's stories weigh among the key developments: a story's distinct
    outlets times this (`2`: one outlet here counts as two elsewhere; `0`: never a key
    development)."""

    max_stories: int | None = Field(None, ge=1)
    """Show at most this many stories (most outlets first, then most recent); the rest are
    counted."""

    catch_all: bool = False
    """Takes on-topic stories that match no other section. At most one section may set it."""

    examples: list[str] = []
    """Example headlines or sentences of this section, for the embedding classifier."""


_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class WindowConfig(Strict):
    end: str = Field("00:00", pattern=_HHMM)
    """When D's 24-hour window closes, on day D (`"07:00"`: the 24 hours before D 07:00).
    `"00:00"` (the default) means the midnight that ends D: the calendar day D."""


class ScheduleConfig(Strict):
    at: str = Field("07:00", pattern=_HHMM)
    """Time of day of the scheduled cycle (quote it: `"07:00"`)."""

    days: list[Day] = Field(list(DAYS), min_length=1)
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
        return known_zone(value) if value is not None else None

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        """Checked now, so a bad expression fails `briefing check`, not the scheduler later."""
        if value is None:
            return None
        check_cron(value)
        return value

    @property
    def grace_seconds(self) -> int:
        number, unit = int(self.misfire_grace.rstrip("smhd ")), self.misfire_grace[-1]
        return number * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit, 1)


class LimitsConfig(Strict):
    title_chars: int = Field(MAX_TITLE, ge=20, le=MAX_TITLE)
    """Longest item title kept, in characters; a longer one is cut at a word and ends in
    ` […]`."""

    body_chars: int = Field(MAX_BODY, ge=100, le=MAX_BODY)
    """Longest item text kept, in characters (the default keeps 99 % of real articles whole); a
    longer one is cut at a paragraph, else a word, and ends in ` […]`."""

    pdf_timeout: float = Field(120, gt=0, le=3600)
    """Seconds the PDF layout may take. A runaway layout is stopped and reported; the other
    formats are still written and the build exits 1."""

    store_timeout: float = Field(30, gt=0, le=600)
    """Seconds to wait for a SQLite store that another process is writing (its busy timeout)
    before the command fails."""
