"""Source types and delivery targets are registries: a type registered here, in the test alone,
is known to the config schema, the collector, the builder, the runner and the error messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Literal

import pytest
import yaml

from briefing.delivery import TARGET_TYPES, DeliveryError, Package, TargetConfig
from briefing.models import Item
from briefing.sources import SOURCE_TYPES, Document, ParseContext, Parsed, SourceConfig
from briefing.text.identity import item_id

from conftest import SAMPLE_DAY

NOW = "1748505600"  # 2025-05-29 08:00 UTC: the window that closed last is 2025-05-28


class TallySource(SourceConfig):
    """A toy source: one item per line `ISO time | outlet | headline`."""

    type: Literal["tally"]
    """`tally`: lines of time, outlet and headline."""

    shout: bool = False
    """Headlines in capitals."""

    def parse(self, doc: Document, ctx: ParseContext) -> Parsed:
        items, warnings = [], []
        for number, line in enumerate(doc.data.decode("utf-8").splitlines(), 1):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                warnings.append(f"{doc.origin}:{number}: not 'time | outlet | headline'")
                continue
            stamp, outlet, title = parts
            when = datetime.fromisoformat(stamp)
            title = title.upper() if self.shout else title
            id_ = item_id(None, outlet, title, when)
            items.append(Item(id_, self.name, outlet, None, title, title, when, ctx.captured))
        return Parsed(items, warnings)


class DropTarget(TargetConfig):
    """A toy target: writes the day's headlines into a folder's text file."""

    type: Literal["drop"]
    """`drop`: the headlines as a text file."""

    folder: str
    """Where the file goes (relative to the config file)."""

    def ledger_id(self) -> str:
        return f"drop:{self.folder}"

    def needs_formats(self) -> list[str]:
        return ["json"]

    def send(self, key: str, package: Package, base_dir: Path) -> str:
        folder = base_dir / self.folder
        if not folder.is_dir():
            raise DeliveryError(f"drop: no folder {folder}", retryable=True)
        data = json.loads(package.files["json"].read_text("utf-8"))
        headlines = [s["headline"] for sec in data["sections"] for s in sec["stories"]]
        (folder / f"{package.day}.txt").write_text("\n".join(headlines) + "\n", "utf-8")
        return f"dropped {len(headlines)} headlines"


@pytest.fixture
def toys() -> Iterator[None]:
    SOURCE_TYPES.register(TallySource)
    TARGET_TYPES.register(DropTarget)
    yield
    SOURCE_TYPES.unregister("tally")
    TARGET_TYPES.unregister("drop")


LINES = (
    "2025-05-28T10:00:00+03:00 | Tally Post | Kyiv and Moscow agree to a prisoner exchange\n"
    "2025-05-28T11:30:00+03:00 | Tally Post | Russian drones strike Kharkiv overnight\n"
    "2025-05-27T09:00:00+03:00 | Tally Post | NATO ministers meet in Brussels\n"
    "not a line of the format\n"
)


def toy_config(tmp_path: Path, write_config) -> Path:  # type: ignore[no-untyped-def]
    (tmp_path / "tally.txt").write_text(LINES, "utf-8")
    (tmp_path / "drops").mkdir()
    path = write_config(
        {
            "sources": [{"name": "tally", "type": "tally", "path": "tally.txt", "shout": True}],
            "delivery": [{"type": "drop", "folder": "drops"}],
        }
    )
    return path


def test_a_registered_source_and_target_run_end_to_end(
    toys, cli, write_config, tmp_path: Path, monkeypatch
) -> None:
    config = toy_config(tmp_path, write_config)
    code, out, err = cli("check", "--config", str(config))
    assert code == 0, err

    code, out, err = cli("collect", "--config", str(config))
    assert code == 0
    assert out.startswith("tally: warning, 3 items, 3 new — ")
    assert "tally.txt:4: not 'time | outlet | headline'" in out

    code, out, err = cli("build", "--config", str(config), "--date", SAMPLE_DAY, "--no-collect")
    assert code == 0, err
    built = json.loads((tmp_path / "out" / SAMPLE_DAY / f"briefing-{SAMPLE_DAY}.json").read_text())
    headlines = sorted(s["headline"] for sec in built["sections"] for s in sec["stories"])
    assert headlines == [
        "KYIV AND MOSCOW AGREE TO A PRISONER EXCHANGE",
        "RUSSIAN DRONES STRIKE KHARKIV OVERNIGHT",
    ]
    assert built["sources"] == [{"name": "tally", "items": 2, "status": "warning", "off_topic": 0}]

    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    code, out, err = cli("run", "--config", str(config))  # collects again: the same warning
    assert code == 0 and err.startswith("warning: source 'tally': ") and "error" not in err
    assert "sent drop:drops drop" in out
    dropped = (tmp_path / "drops" / f"{SAMPLE_DAY}.txt").read_text("utf-8").splitlines()
    assert sorted(dropped) == headlines
    code, out, _ = cli("run", "--config", str(config))
    assert code == 0 and "nothing to do" in out


def test_a_registered_targets_failure_stays_pending_until_it_can_send(
    toys, cli, write_config, tmp_path: Path, monkeypatch
) -> None:
    config = toy_config(tmp_path, write_config)
    (tmp_path / "drops").rmdir()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    code, _, err = cli("run", "--config", str(config))
    assert code == 1 and "drop:drops drop (will retry)" in err
    (tmp_path / "drops").mkdir()
    code, out, _ = cli("run", "--config", str(config))
    assert code == 0 and "sent drop:drops drop" in out


def test_registered_types_reach_the_error_messages(toys, tmp_path: Path) -> None:
    from briefing.config import load_config
    from briefing.errors import ConfigError

    path = tmp_path / "config.yaml"
    data = {
        "sources": [{"name": "t", "type": "talley", "path": "x"}],
        "sections": [{"id": "all", "title": "All"}],
        "delivery": [{"type": "drop", "folder": "d", "shuot": True}],
    }
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [p.replace(str(path), "config.yaml") for p in caught.value.problems] == [
        "config.yaml:3 delivery[0].shuot: unknown key",  # `shout` is a key of tally, not drop
        "config.yaml:11 sources[0].type: expected one of 'clipping', 'feed', 'page', 'tally', "
        "got 'talley'",
    ]


def test_an_unregistered_type_is_unknown_again(tmp_path: Path) -> None:
    assert "tally" not in SOURCE_TYPES.names() and "drop" not in TARGET_TYPES.names()
