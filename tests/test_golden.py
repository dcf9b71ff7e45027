"""Golden files: the Markdown, HTML and JSON of the sample date, byte for byte.

A change to templates, rendering or the shipped config that alters these outputs shows here as a
diff. When the change is intended, regenerate and review the files:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SAMPLE_DAY

GOLDEN = Path(__file__).parent / "golden"
EPOCH = "1748494800"  # 2025-05-29 05:00 UTC, the window closed: fixes "generated" and capture times


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_sample_day_matches_the_golden_files(
    cli, write_config, tmp_path, monkeypatch, fmt: str, store_url: str
) -> None:
    """On SQLite and on PostgreSQL alike."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = write_config({"database": store_url})
    code, _, err = cli(
        "build", "--config", str(config), "--date", SAMPLE_DAY, "--format", "md,html,json"
    )
    assert (code, err) == (0, "")
    name = f"briefing-{SAMPLE_DAY}.{fmt}"
    built = (tmp_path / "out" / SAMPLE_DAY / name).read_text("utf-8")
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(built, "utf-8")
    assert golden.exists(), f"no golden file {golden}; run with UPDATE_GOLDEN=1"
    assert built == golden.read_text("utf-8"), f"{name} differs from {golden}"
