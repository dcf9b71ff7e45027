"""Helpers of the unit layer: hand-made items, small validated configs and real SQLite stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.config import Config, config_model
from briefing.models import Item
from briefing.store import Store

SOURCE = {"name": "f", "type": "feed", "path": "f.xml"}
SECTIONS = [{"id": "all", "title": "Everything", "catch_all": True}]


def make_item(
    item_id: str,
    published: datetime | None,
    *,
    title: str = "",
    body: str = "",
    outlet: str = "Alpha Wire",
    source: str = "f",
    url: str | None = "",
    captured: datetime | None = None,
) -> Item:
    """An item as a source would deliver it; `url` "" means https://<outlet>.example/<id>."""
    if url == "":
        url = f"https://{outlet.split()[0].lower()}.example/{item_id}"
    when = published or captured
    assert when is not None, "an item needs a publication or a capture time"
    return Item(
        id=item_id,
        source=source,
        outlet=outlet,
        url=url,
        title=title or f"Item {item_id}",
        body=body,
        published=published,
        captured=captured or when,
    )


def make_config(tmp_path: Path, **changes: Any) -> Config:
    """A validated config read from `tmp_path/config.yaml` (nothing is written there)."""
    data: dict[str, Any] = {"sources": [SOURCE], "sections": SECTIONS, **changes}
    return config_model().model_validate(data).located(tmp_path / "config.yaml")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real SQLite store in tmp_path, the store's one unnamed desk."""
    with Store(f"sqlite:///{tmp_path / 's.db'}") as opened:
        yield opened


@pytest.fixture
def set_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the time the tool believes it is (SOURCE_DATE_EPOCH, whole seconds)."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))

    return set_to
