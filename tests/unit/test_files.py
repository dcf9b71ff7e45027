"""Unit tests of files.py: file names and paths, writing all files or none, file hashes."""

from __future__ import annotations

import hashlib
import stat
from datetime import date
from pathlib import Path

import pytest

from briefing.errors import WorkError
from briefing.files import DEFAULT_FORMATS, FORMATS, file_name, file_sha256, output_paths, write_all

DAY = date(2025, 5, 28)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("md", "briefing-2025-05-28.md"),
        ("html", "briefing-2025-05-28.html"),
        ("json", "briefing-2025-05-28.json"),
        ("pdf", "briefing-2025-05-28.pdf"),
        ("email", "briefing-2025-05-28.email.html"),
    ],
)
def test_file_name(fmt: str, name: str) -> None:
    assert file_name(DAY, fmt) == name


def test_every_format_has_its_own_file_name() -> None:
    assert set(FORMATS) == {"md", "html", "json", "pdf", "email"}
    assert len({file_name(DAY, fmt) for fmt in FORMATS}) == len(FORMATS)
    assert DEFAULT_FORMATS == ["md", "html", "json", "pdf"]


def test_output_paths_put_a_days_files_in_its_own_folder(tmp_path: Path) -> None:
    paths = output_paths(tmp_path / "out", DAY, ["md", "email"])
    assert paths == {
        "md": tmp_path / "out" / "2025-05-28" / "briefing-2025-05-28.md",
        "email": tmp_path / "out" / "2025-05-28" / "briefing-2025-05-28.email.html",
    }
    assert output_paths(tmp_path, DAY, []) == {}


def test_write_all_writes_every_file_readable_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    paths = output_paths(tmp_path / "out", DAY, ["md", "html", "json"])
    write_all({paths["md"]: b"# md", paths["html"]: b"<p>html</p>", paths["json"]: b"{}"})
    assert snapshot(tmp_path / "out") == {
        "2025-05-28/briefing-2025-05-28.md": b"# md",
        "2025-05-28/briefing-2025-05-28.html": b"<p>html</p>",
        "2025-05-28/briefing-2025-05-28.json": b"{}",
    }
    assert stat.S_IMODE(paths["md"].stat().st_mode) == 0o644


def test_write_all_replaces_the_previous_files(tmp_path: Path) -> None:
    paths = output_paths(tmp_path, DAY, ["md", "json"])
    write_all({paths["md"]: b"old md", paths["json"]: b"old json"})
    write_all({paths["md"]: b"new md", paths["json"]: b"new json"})
    assert snapshot(tmp_path) == {
        "2025-05-28/briefing-2025-05-28.md": b"new md",
        "2025-05-28/briefing-2025-05-28.json": b"new json",
    }


def test_a_file_that_cannot_be_written_leaves_every_old_file_in_place(tmp_path: Path) -> None:
    out = tmp_path / "out"
    paths = output_paths(out, DAY, ["md", "html"])
    write_all({paths["md"]: b"old md", paths["html"]: b"old html"})
    (out / "blocked").write_text("a file where a folder should be", encoding="utf-8")
    before = snapshot(out)

    with pytest.raises(WorkError, match="blocked"):
        write_all(
            {
                paths["md"]: b"new md",
                paths["html"]: b"new html",
                out / "blocked" / "briefing-2025-05-28.json": b"{}",
            }
        )
    assert snapshot(out) == before  # old files intact, no temporary file left


def test_temporary_files_left_by_a_killed_run_are_cleared(tmp_path: Path) -> None:
    paths = output_paths(tmp_path, DAY, ["md"])
    folder = paths["md"].parent
    folder.mkdir(parents=True)
    (folder / ".briefing-2025-05-28.md.k1ll3d.tmp").write_bytes(b"half")
    (folder / "notes.txt").write_bytes(b"keep")
    write_all({paths["md"]: b"# md"})
    assert snapshot(folder) == {"briefing-2025-05-28.md": b"# md", "notes.txt": b"keep"}


def test_file_sha256_reads_the_whole_file_in_blocks(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.write_bytes(b"briefing")
    assert file_sha256(small) == hashlib.sha256(b"briefing").hexdigest()
    data = bytes(range(256)) * 9000  # 2.2 MiB: more than two blocks
    large = tmp_path / "large"
    large.write_bytes(data)
    assert file_sha256(large) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()
