"""What each briefing held and showed: its items and stories, how it showed them, and the
source statuses it printed — the records that make a rebuild give what the first build gave.
A mixin of Store, kept apart so the store module stays about items and sources."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from .. import clock
from .engine import Guard
from .rows import insert_new_rows
from .schema import (
    build_sources,
    builds,
    insert_ignore,
    stories,
    story_items,
    story_views,
)


class BriefingRecords:
    """Methods of Store (which provides `begin` and `connect`)."""

    desk: str

    def begin(self) -> Guard:
        raise NotImplementedError

    def connect(self) -> Guard:
        raise NotImplementedError

    def first_built(self, day: date) -> datetime | None:
        with self.connect() as conn:
            query = sa.select(builds.c.first_built).where(
                builds.c.desk == self.desk, builds.c.date == day.isoformat()
            )
            return conn.execute(query).scalar_one_or_none()

    def assignments(self, day: date) -> dict[str, str]:
        """item id -> story id ("" when the gate dropped it) for the briefing of `day`."""
        with self.connect() as conn:
            query = sa.select(story_items.c.item_id, story_items.c.story_id).where(
                story_items.c.desk == self.desk, story_items.c.date == day.isoformat()
            )
            return {row[0]: row[1] for row in conn.execute(query)}

    def built_dates(self) -> dict[str, datetime]:
        with self.connect() as conn:
            query = sa.select(builds.c.date, builds.c.first_built).where(builds.c.desk == self.desk)
            return {r[0]: r[1] for r in conn.execute(query)}

    def story_origins(self, ids: Iterable[str]) -> dict[str, tuple[datetime, str]]:
        """story id -> (first reported, date of the briefing that first showed it)."""
        wanted = list(ids)
        with self.connect() as conn:
            query = sa.select(stories).where(stories.c.desk == self.desk, stories.c.id.in_(wanted))
            rows = conn.execute(query).mappings()
            return {r["id"]: (r["first_reported"], r["first_date"]) for r in rows}

    def story_views(self, day: date) -> dict[str, tuple[str, list[tuple[str, str, bool]]]]:
        """story id -> (headline, summary sentences) as the first build of `day` showed them."""
        with self.connect() as conn:
            query = sa.select(story_views).where(
                story_views.c.desk == self.desk, story_views.c.date == day.isoformat()
            )
            return {
                r["story_id"]: (r["headline"], [tuple(x) for x in json.loads(r["summary"])])
                for r in conn.execute(query).mappings()
            }

    def record_briefing(
        self,
        day: date,
        assigned: dict[str, str],
        new_stories: dict[str, datetime],
        sources: dict[str, tuple[str, str]],
        views: dict[str, tuple[str, list[tuple[str, str, bool]]]] | None = None,
    ) -> None:
        """Remember which items and stories the briefing of `day` holds (first build wins)."""
        key, desk = day.isoformat(), self.desk
        rows: dict[sa.Table, list[dict[str, Any]]] = {
            stories: [
                {"desk": desk, "id": story_id, "first_reported": first, "first_date": key}
                for story_id, first in new_stories.items()
            ],
            story_items: [
                {"desk": desk, "item_id": item_id, "story_id": story_id, "date": key}
                for item_id, story_id in assigned.items()
            ],
            build_sources: [
                {"desk": desk, "date": key, "name": name, "status": status, "note": note}
                for name, (status, note) in sources.items()
            ],
            story_views: [
                {
                    "desk": desk,
                    "date": key,
                    "story_id": story_id,
                    "headline": headline,
                    "summary": json.dumps(summary, ensure_ascii=False),
                }
                for story_id, (headline, summary) in (views or {}).items()
            ],
        }
        with self.begin() as conn:
            for table, values in rows.items():  # one statement per table, many rows each
                insert_new_rows(conn, table, values)

    def build_source_statuses(self, day: date) -> dict[str, tuple[str, str]]:
        """source name -> (status, note) as the first build of `day` printed them."""
        with self.connect() as conn:
            columns = (build_sources.c.name, build_sources.c.status, build_sources.c.note)
            query = sa.select(*columns).where(
                build_sources.c.desk == self.desk, build_sources.c.date == day.isoformat()
            )
            return {r[0]: (r[1], r[2]) for r in conn.execute(query)}

    def reopen(self, day: date) -> dict[str, str]:
        """Forget what the briefing of `day` held and showed, so its next build is a first build
        again (`build --rebuild`); return its assignments as they were. Stories keep their ids
        and first reports: later briefings may continue them."""
        before = self.assignments(day)
        key, desk = day.isoformat(), self.desk
        with self.begin() as conn:
            for table in (story_items, build_sources, story_views, builds):
                conn.execute(sa.delete(table).where(table.c.desk == desk, table.c.date == key))
        return before

    def mark_built(self, day: date) -> datetime:
        """Record a build of `day`; return when it was first built (stable across rebuilds)."""
        now = clock.now()
        key = day.isoformat()
        row = {"desk": self.desk, "date": key, "first_built": now, "last_built": now}
        this = sa.and_(builds.c.desk == self.desk, builds.c.date == key)
        with self.begin() as conn:
            insert_ignore(conn, builds, row)
            conn.execute(sa.update(builds).where(this).values(last_built=now))
            return conn.execute(sa.select(builds.c.first_built).where(this)).scalar_one()
