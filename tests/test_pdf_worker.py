"""The PDF worker a build starts first of all: it warms up while the build collects and
clusters, the time limit still stops a runaway layout (and only the layout), the other formats
are written all the same, and no worker outlives its build."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefing.errors import UsageError, WorkError
from briefing.render import default_templates_dir
from briefing.render import pdf as pdf_module
from briefing.render.pdf import PdfTimeout, PdfWorker, render_pdf_within

pytestmark = pytest.mark.slow  # real processes and PDF layouts

ROOTS = [default_templates_dir()]
CSS = (ROOTS[0] / "print.css").read_text("utf-8")


def test_a_warm_worker_lays_out_the_briefing() -> None:
    worker = PdfWorker(CSS, ROOTS)
    pdf = render_pdf_within("<h1>Briefing</h1><p>Talks resume.</p>", CSS, ROOTS, 30, worker)
    assert pdf.startswith(b"%PDF")
    assert worker.proc.poll() is not None  # one briefing per worker: it is gone


def test_the_time_limit_stops_a_runaway_layout_not_the_start_up() -> None:
    """The limit counts from when the briefing is sent: a worker still importing WeasyPrint is
    waited for, and a layout that overruns is killed at the limit."""
    worker = PdfWorker(CSS, ROOTS)
    started = time.monotonic()
    with pytest.raises(PdfTimeout, match="longer than 1 s"):
        render_pdf_within("<p>x</p>" * 200_000, "", ROOTS, 1, worker)
    assert time.monotonic() - started < 1 + pdf_module.STARTUP_LIMIT
    assert worker.proc.poll() is not None


def test_a_worker_without_weasyprint_says_so(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "weasyprint.py").write_text("raise OSError('no Pango here')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    worker = PdfWorker(CSS, ROOTS)
    with pytest.raises(WorkError, match="PDF output needs WeasyPrint and Pango: no Pango here"):
        render_pdf_within("<p>x</p>", CSS, ROOTS, 30, worker)


def test_the_build_starts_the_worker_before_collecting_and_ends_it(
    write_config, monkeypatch, tmp_path
) -> None:
    import importlib
    from datetime import date

    from briefing.config import load_config

    build_module = importlib.import_module("briefing.pipeline.build")

    started: list[PdfWorker] = []
    real_init = PdfWorker.__init__

    def recording(self, css, roots):
        real_init(self, css, roots)
        started.append(self)

    real_collect = build_module.collect

    def collect(*args, **kwargs):
        assert started, "the PDF worker starts before collection"
        return real_collect(*args, **kwargs)

    monkeypatch.setattr(PdfWorker, "__init__", recording)
    monkeypatch.setattr(build_module, "collect", collect)
    config = load_config(write_config({"output": {"dir": str(tmp_path / "out")}}))
    result = build_module.build(config, date(2025, 5, 28), ["md", "pdf"])
    assert Path(result.files["pdf"]).read_bytes().startswith(b"%PDF")
    assert started and started[0].proc.poll() is not None

    with pytest.raises(UsageError):  # a day whose window has not opened: refused, worker ended
        build_module.build(config, date(2999, 1, 1), ["pdf"])
    assert len(started) == 2 and started[1].proc.poll() is not None


def _children() -> set[int]:
    """This process's living child processes (Linux)."""
    pids: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        pids |= {int(p) for p in (task / "children").read_text().split()}
    return pids


def test_briefing_build_starts_its_worker_first_and_ends_an_unwanted_one(
    write_config, cli, monkeypatch, tmp_path
) -> None:
    """`briefing build` starts the worker before it reads its config; the build takes that one
    (one worker in all), and a config whose formats hold no PDF ends it."""
    from briefing import pdfworker

    spawned: list[int] = []
    real_spawn = pdfworker.spawn

    def spawn():
        proc = real_spawn()
        spawned.append(proc.pid)
        return proc

    monkeypatch.setattr(pdfworker, "spawn", spawn)
    before = _children()
    out = tmp_path / "out"
    args = ["build", "--no-collect", "--date", "2025-05-28", "--config"]
    with_pdf = write_config({"output": {"dir": str(out), "formats": ["md", "pdf"]}})
    code, _, err = cli(*args, str(with_pdf))
    assert code == 0, err
    assert (out / "2025-05-28" / "briefing-2025-05-28.pdf").read_bytes().startswith(b"%PDF")
    assert len(spawned) == 1  # the early worker laid the PDF out

    without = write_config({"output": {"dir": str(tmp_path / "md"), "formats": ["md"]}})
    code, _, err = cli(*args, str(without))
    assert code == 0, err
    assert len(spawned) == 2 and not pdfworker._EARLY
    assert not (set(spawned) & _children() - before)  # none outlives its build
