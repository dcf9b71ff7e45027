"""The benchmark scripts still run: each timing script is a command people reproduce the
README's figures with, so a smoke run at a small size keeps them from rotting between the
sessions that measure with them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_cluster_benchmark_runs_cold_twice_on_a_generated_day(tmp_path: Path) -> None:
    _run(str(BENCHMARKS / "generate.py"), "--items", "200", "--out", str(tmp_path / "wl"))
    out = _run(str(BENCHMARKS / "cluster.py"), str(tmp_path / "wl" / "labels.jsonl"), "--runs", "2")
    assert "make_stories: median" in out and "2 runs" in out
    assert "pairwise precision" in out


def test_ratios_benchmark_measures_every_ratio_at_a_small_size() -> None:
    out = _run(str(BENCHMARKS / "ratios.py"), "--quick", "--runs", "1")
    for measure in ("in-process", "whole processes", "peak RSS", "bare WeasyPrint"):
        assert measure in out
    assert " 0 MB" not in out
