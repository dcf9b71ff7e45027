"""Unit tests of stories/window.py: day windows and what a build selects from a real store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefing.models import Item
from briefing.store import Store
from briefing.stories.window import LATE_DAYS, day_window, select_items

from .conftest import make_config, make_item

KYIV = ZoneInfo("Europe/Kyiv")
D28, D29, D30 = date(2025, 5, 28), date(2025, 5, 29), date(2025, 5, 30)


def kyiv(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=KYIV)


def item(item_id: str, published: datetime | None, captured: datetime | None = None) -> Item:
    return make_item(item_id, published, captured=captured or published)


def ids(items: list[Item]) -> list[str]:
    return [i.id for i in items]


def hours(window: tuple[datetime, datetime]) -> float:
    start, end = (t.astimezone(UTC) for t in window)
    return (end - start) / timedelta(hours=1)


# --- day_window ------------------------------------------------------------------------------


def test_the_window_is_the_calendar_day_in_the_config_zone(tmp_path: Path) -> None:
    config = make_config(tmp_path, timezone="Europe/Kyiv")
    start, end = day_window(config, D28)
    assert (start, end) == (kyiv(28, 0), kyiv(29, 0))
    assert start.astimezone(UTC) == datetime(2025, 5, 27, 21, 0, tzinfo=UTC)
    assert hours((start, end)) == 24


def test_window_end_makes_it_the_24_hours_before_that_time_on_the_day(tmp_path: Path) -> None:
    config = make_config(tmp_path, timezone="Europe/Kyiv", window={"end": "07:00"})
    assert day_window(config, D28) == (kyiv(27, 7), kyiv(28, 7))


def test_the_default_zone_is_utc(tmp_path: Path) -> None:
    start, end = day_window(make_config(tmp_path), D28)
    assert (start, end) == (datetime(2025, 5, 28, tzinfo=UTC), datetime(2025, 5, 29, tzinfo=UTC))
    assert start.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("day", "end", "length"),
    [
        (date(2025, 3, 30), "00:00", 23),  # clocks go forward at 03:00
        (date(2025, 10, 26), "00:00", 25),  # and back at 04:00
        (date(2025, 3, 30), "07:00", 23),  # 29 March 07:00 to 30 March 07:00
        (date(2025, 10, 26), "07:00", 25),
        (date(2025, 10, 27), "07:00", 24),  # the change was before 26 October 07:00
        (date(2025, 3, 29), "00:00", 24),
    ],
)
def test_windows_across_clock_changes_in_kyiv(
    tmp_path: Path, day: date, end: str, length: int
) -> None:
    config = make_config(tmp_path, timezone="Europe/Kyiv", window={"end": end})
    assert hours(day_window(config, day)) == length


# --- select_items ----------------------------------------------------------------------------


def test_a_first_build_selects_the_unassigned_items_of_its_window(
    tmp_path: Path, store: Store
) -> None:
    config = make_config(tmp_path, timezone="Europe/Kyiv")
    store.insert_new(
        [
            item("before", kyiv(27, 23, 59)),
            item("start", kyiv(28, 0)),  # the window includes its start
            item("noon", kyiv(28, 12)),
            item("undated", None, captured=kyiv(28, 15)),  # counts at its capture time
            item("utc", datetime(2025, 5, 28, 20, 59, tzinfo=UTC)),  # 23:59 in Kyiv
            item("end", kyiv(29, 0)),  # but not its end
            item("shown", kyiv(28, 9)),
            item("dropped", kyiv(28, 10)),
        ]
    )
    # already in a briefing: shown in a story, or dropped by the topic gate ("")
    store.record_briefing(D30, {"shown": "s-x", "dropped": ""}, {"s-x": kyiv(28, 9)}, {})
    chosen = select_items(store, config, D28)
    assert chosen.window == (kyiv(28, 0), kyiv(29, 0))
    assert ids(chosen.items) == ["start", "noon", "undated", "utc"]
    assert chosen.recorded == {}
    assert chosen.first_built is None


def test_another_desks_briefings_do_not_hide_items(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    url = f"sqlite:///{tmp_path / 's.db'}"
    with Store(url, desk="a") as desk_a, Store(url, desk="b") as desk_b:
        desk_a.insert_new([item("x", datetime(2025, 5, 28, 9, tzinfo=UTC))])
        desk_a.record_briefing(D28, {"x": "s-x"}, {"s-x": datetime(2025, 5, 28, tzinfo=UTC)}, {})
        assert ids(select_items(desk_a, config, D28).items) == []
        assert ids(select_items(desk_b, config, D28).items) == ["x"]


def build(store: Store, config_day: date, chosen: list[Item], story: str) -> datetime:
    """What a build records: every selected item in one story, then the build itself."""
    store.record_briefing(
        config_day, dict.fromkeys(ids(chosen), story), {story: chosen[0].when}, {}
    )
    return store.mark_built(config_day)


def test_late_arrivals_join_the_next_first_build_and_rebuilds_hold_what_was_built(
    tmp_path: Path, store: Store, set_clock: Callable[[datetime], None]
) -> None:
    config = make_config(tmp_path, timezone="Europe/Kyiv")
    store.insert_new([item("a", kyiv(28, 10)), item("b", kyiv(28, 23))])

    set_clock(kyiv(29, 7))  # 28 May is built the next morning
    first28 = select_items(store, config, D28)
    assert ids(first28.items) == ["a", "b"]
    built28 = build(store, D28, first28.items, "s-a")
    assert built28 == kyiv(29, 7)

    store.insert_new(
        [
            item("late", kyiv(28, 15), captured=kyiv(29, 8)),  # collected after 28 May's build
            item("unbuilt", kyiv(20, 12), captured=kyiv(29, 8)),  # its day was never built
            item("c", kyiv(29, 9)),
        ]
    )
    # rebuilding 28 May gives what its first build held, late arrival or not
    again28 = select_items(store, config, D28)
    assert ids(again28.items) == ["a", "b"]
    assert again28.recorded == {"a": "s-a", "b": "s-a"}
    assert again28.first_built == built28

    set_clock(kyiv(30, 7))
    first29 = select_items(store, config, D29)
    assert ids(first29.items) == ["c", "late"]  # the day's items, then the late ones
    assert first29.first_built is None
    built29 = build(store, D29, first29.items, "s-c")

    store.insert_new([item("after", kyiv(29, 12), captured=kyiv(30, 8))])
    set_clock(kyiv(30, 9))
    again29 = select_items(store, config, D29)
    assert sorted(ids(again29.items)) == ["c", "late"]
    assert again29.recorded == {"c": "s-c", "late": "s-c"}
    assert again29.first_built == built29 == kyiv(30, 7)
    # what arrived after 29 May's build waits for the next first build
    assert ids(select_items(store, config, D30).items) == ["after"]


def test_late_arrivals_older_than_late_days_are_left_out(
    tmp_path: Path, store: Store, set_clock: Callable[[datetime], None]
) -> None:
    config = make_config(tmp_path)
    old_day = D29 - timedelta(days=LATE_DAYS + 1)
    noon = datetime.combine(old_day, datetime.min.time(), UTC) + timedelta(hours=12)
    set_clock(noon + timedelta(days=1))
    store.mark_built(old_day)
    store.insert_new(
        [
            item("too-old", noon, captured=datetime(2025, 5, 28, 12, tzinfo=UTC)),
            item("recent", datetime(2025, 5, 29, 6, tzinfo=UTC)),
        ]
    )
    assert ids(select_items(store, config, D29).items) == ["recent"]


def test_an_item_stored_after_the_build_but_captured_before_it_is_late(
    tmp_path: Path, store: Store, set_clock: Callable[[datetime], None]
) -> None:
    config = make_config(tmp_path, timezone="Europe/Kyiv")
    store.insert_new([item("a", kyiv(28, 10))])
    set_clock(kyiv(29, 7, 1))
    build(store, D28, select_items(store, config, D28).items, "s-a")
    # a `briefing collect` that started at 07:00 (its capture time) stores its items at 07:02
    store.insert_new([item("slow", kyiv(28, 16), captured=kyiv(29, 7))])
    assert ids(select_items(store, config, D28).items) == ["a"]
    assert ids(select_items(store, config, D29).items) == ["slow"]
