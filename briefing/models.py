"""Plain data passed between pipeline stages; no behaviour beyond small derived values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

UPDATE_SHOWN = timedelta(minutes=30)  # a story's later items this much after its first show


@dataclass(frozen=True)
class Item:
    """One news item as collected; `published` keeps the offset the source gave."""

    id: str
    source: str
    outlet: str
    url: str | None
    title: str
    body: str
    published: datetime | None
    captured: datetime
    lang: str | None = None
    date_only: bool = False  # the source gave a day but no time; `published` is noon that day
    stored: datetime | None = None  # when the store got it (None until it is stored)

    @property
    def when(self) -> datetime:
        """The time that places the item in a day's window (first capture when undated)."""
        return self.published or self.captured


@dataclass
class SourceReport:
    """What one source did in one collection run, for logs and the briefing's Sources note.

    Every entry read is accounted for: read = new + known + merged + refused, where `fetched`
    (the items made) = new + known + merged, `merged` counts items whose id another entry of
    the same run already had, and `refusals` gives each reason an entry was left out."""

    name: str
    type: str
    status: str  # "ok" | "not modified" | "warning" | "failed"
    fetched: int = 0
    new: int = 0
    message: str = ""
    known: int = 0  # stored before this run (by this or another source)
    merged: int = 0
    refusals: dict[str, int] = field(default_factory=dict)  # reason -> entries
    barren_runs: int = 0  # runs, this one included, in which the source never gave a new item

    @property
    def refused(self) -> int:
        return sum(self.refusals.values())

    @property
    def read(self) -> int:
        return self.fetched + self.refused

    def accounting(self) -> str:
        """`read 12 = 3 new + 8 already stored + 1 merged + 0 refused`."""
        return (
            f"read {self.read} = {self.new} new + {self.known} already stored + "
            f"{self.merged} merged + {self.refused} refused"
        )

    def note(self, with_reason: bool = False) -> str:
        """What a reader should know beyond the status: entries merged or refused (with why),
        a source that has never given anything new, and with `with_reason` why it failed or warned
        (the Sources note says it; the console prints the message apart)."""
        parts = []
        if with_reason and self.status in ("warning", "failed") and self.message:
            reason = self.message if len(self.message) <= 200 else self.message[:199] + "…"
            parts.append(reason)
        if self.merged:
            parts.append(f"{self.merged} merged as duplicates")
        if self.refusals:
            reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.refusals.items()))
            parts.append(f"{self.refused} refused ({reasons})")
        if self.barren_runs >= 2:
            parts.append(f"nothing new in any of its {self.barren_runs} runs")
        return "; ".join(parts)


@dataclass
class Sentence:
    """A summary sentence copied verbatim from one item, so it can link back to it."""

    text: str
    item_id: str
    url: str | None
    outlet: str
    cut: bool = False  # `text` is the start of a longer sentence


@dataclass
class Story:
    """One event: items from one or more outlets, summarised in their own words."""

    id: str
    headline: str
    items: list[Item]
    summary: list[Sentence] = field(default_factory=list)
    first_reported: datetime | None = None
    developing: bool = False
    tags: list[str] = field(default_factory=list)
    section: str = ""
    score: float = 0.0
    # other reports' headlines, shown where there is no summary (stories/headline.py)
    also: list[Sentence] = field(default_factory=list)
    # the headline says all the summary's first sentence says (stories/headline.py)
    lead_in_headline: bool = False

    @property
    def outlets(self) -> list[str]:
        seen: dict[str, None] = {}
        for item in self.items:
            seen.setdefault(item.outlet, None)
        return list(seen)

    @property
    def shown_summary(self) -> list[Sentence]:
        """The summary as printed under the headline: without a first sentence the headline
        already says whole (the JSON keeps every sentence)."""
        return self.summary[1:] if self.lead_in_headline else self.summary

    @property
    def latest(self) -> datetime:
        return max(item.when for item in self.items)

    @property
    def first_seen(self) -> datetime | None:
        """When a story new today was first reported, as far as its items give times (an item
        known only by its day has no time to show)."""
        if self.developing:
            return None  # shown as "first reported <day>"
        return min((item.when for item in self.items if not item.date_only), default=None)

    @property
    def updated(self) -> datetime | None:
        """When the story was last added to, worth showing when it is well after its first
        report today (or for a developing story, whose first report was on an earlier day)."""
        timed = [item.when for item in self.items if not item.date_only]
        if not timed:
            return None
        last = max(timed)
        first = self.first_seen
        if self.developing or (first is not None and last - first >= UPDATE_SHOWN):
            return last
        return None

    @property
    def links(self) -> list[tuple[str, str | None]]:
        """One (outlet, link) per outlet, the headline's outlet first, a linked item preferred."""
        ordered = sorted(self.items, key=lambda i: (i.title != self.headline, i.url is None))
        out: dict[str, str | None] = {}
        for item in ordered:
            if item.outlet not in out or (out[item.outlet] is None and item.url):
                out[item.outlet] = item.url
        return list(out.items())


def story_rank(story: Story) -> tuple[int, float, str]:
    """How stories are ordered wherever they are ranked: most outlets first, then most recent,
    then id, so the order is stable."""
    return (-len(story.outlets), -story.latest.timestamp(), story.id)


@dataclass
class Section:
    """A configured theme with its stories, in briefing order."""

    id: str
    title: str
    description: str = ""
    stories: list[Story] = field(default_factory=list)  # all, best first
    max_stories: int | None = None
    priority: float = 1.0  # how much its stories weigh among the key developments

    @property
    def visible(self) -> list[Story]:
        """The stories printed; JSON keeps all of them so no item goes missing."""
        return self.stories if self.max_stories is None else self.stories[: self.max_stories]

    @property
    def more(self) -> int:
        return len(self.stories) - len(self.visible)


@dataclass
class SourceLine:
    """One line of the briefing's Sources note."""

    name: str
    outlet: str
    items: int
    status: str
    note: str = ""  # entries merged or refused, a source that never gives anything new
    # its items of the window the topic gate left out: a feed in another language, or on
    # another beat, whose every item is dropped must not look like a quiet one
    off_topic: int = 0


def _quiet(line: SourceLine) -> bool:
    return (
        not line.items
        and not line.note
        and not line.off_topic
        and line.status in ("ok", "not modified")
    )


@dataclass
class Briefing:
    """Everything a renderer needs; renderers see nothing else."""

    date: date
    title: str
    timezone: str
    window_start: datetime
    window_end: datetime
    sections: list[Section]
    sources: list[SourceLine]
    item_count: int
    story_count: int
    outlet_count: int
    dropped: int
    generated_at: datetime  # when the day was first built; for a provisional day, this build
    version: str
    provisional: bool = False  # the window is still open: later items will join the briefing
    key_developments: list[Story] = field(default_factory=list)  # what readers see first

    @property
    def sources_listed(self) -> list[SourceLine]:
        """The Sources note's table: sources that gave items or need a look. A desk with dozens
        of feeds would otherwise read a row per quiet feed every morning."""
        return [s for s in self.sources if not _quiet(s)]

    @property
    def sources_quiet(self) -> list[SourceLine]:
        """Sources collected without a problem that gave nothing to this briefing: one line."""
        return [s for s in self.sources if _quiet(s)]

    def section_title(self, section_id: str) -> str:
        """Readers see titles, not ids, when a story is tagged with other sections."""
        return next((s.title for s in self.sections if s.id == section_id), section_id)


@dataclass
class BuildResult:
    """What a build produced, for the CLI, the scheduler and the tests."""

    briefing: Briefing
    files: dict[str, str]
    reports: list[SourceReport] = field(default_factory=list)  # the collection run, if any
    problems: list[str] = field(default_factory=list)  # formats not written, one line each
    caught_up: list[date] = field(default_factory=list)  # earlier days recorded first
    rebuilt: bool = False  # a recorded day was re-opened (--rebuild)
    added: int = 0  # with `rebuilt`: items the briefing holds now and did not before
    removed: int = 0  # with `rebuilt`: items it held before and does not now


@dataclass
class ArchiveStory:
    """A key development as the archive and the feed list it."""

    id: str
    headline: str
    outlets: list[str]


@dataclass
class ArchiveEntry:
    """One built briefing, read back from its files: the formats that exist (paths relative to
    the output folder) and, from its JSON edition, its counts and key developments (None and
    empty when it was built without one)."""

    date: date
    title: str
    files: dict[str, str]  # format -> "2025-05-28/briefing-2025-05-28.html", in FORMATS order
    item_count: int | None = None
    story_count: int | None = None
    outlet_count: int | None = None
    dropped: int | None = None
    key_developments: list[ArchiveStory] = field(default_factory=list)
    generated_at: datetime | None = None
    provisional: bool = False  # built while its window was open: later items will join it


@dataclass
class Archive:
    """Every briefing built into one output folder, newest first: the archive page and the
    feed are made from it."""

    title: str
    entries: list[ArchiveEntry]
    desk: str = ""
    base_url: str | None = None  # where the output folder is published, ending in "/"
