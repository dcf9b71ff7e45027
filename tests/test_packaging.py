"""The wheel carries the default templates, and an installed copy finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # real processes, servers, PDF layouts or fuzzing


def test_wheel_ships_templates_and_finds_them(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("briefing-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in ("briefing.md.j2", "briefing.html.j2", "screen.css", "print.css"):
        assert f"briefing/templates/{name}" in names
    probe = "import briefing.render.templates as r; print(r.default_templates_dir())"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site")},
        check=True,
    )
    assert Path(out.stdout.strip()) == tmp_path / "site" / "briefing" / "templates"
