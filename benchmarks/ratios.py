"""The newsroom-scale ratios (issue 19), each measured side by side in one run:

- collect 10,000 new entries from 25 local feed files against bare feedparser parsing the same
  files, in-process (imports excluded on both sides) and as whole processes (`briefing collect`
  against `python -c "import feedparser; ..."`), a fresh database each run;
- a 10,000-item day built without the PDF as a whole process (`briefing build --no-collect
  --format md,html,json` on a fresh copy of the collected database): wall seconds and peak RSS;
- `briefing build --no-collect --format pdf` of a 500-item day as a whole process against a
  bare WeasyPrint process laying out the same HTML with the same print stylesheet.

Runs alternate between the two sides of each ratio, so both see the same machine; each figure
is the median of the runs with (min-max), each ratio the ratio of two medians.

    python benchmarks/ratios.py --runs 5
    python benchmarks/ratios.py --runs 3 --keep /tmp/ratios   # keep workloads and databases
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import feedparser
import yaml

from briefing.config import Config, load_config
from briefing.pipeline import collect_into_store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DAY = date(2025, 5, 28)
sys.path.insert(0, str(HERE))
from generate import write  # noqa: E402

COLLECT_TARGET = 3.0  # collect throughput / bare feedparser (5x the aim)
DAY_TARGET = 5.0  # seconds for a 10,000-item day without the PDF, whole process
PDF_TARGET = 1.3  # build --format pdf / bare WeasyPrint, whole processes
MEMORY_TARGET = 500  # MB peak RSS of the 10,000-item day

BARE_FEEDPARSER = """
import io, sys, feedparser
n = sum(len(feedparser.parse(io.BytesIO(open(f, "rb").read())).entries) for f in sys.argv[1:])
assert n
"""
BARE_WEASYPRINT = """
import sys, weasyprint
html, css, out = sys.argv[1:4]
with open(html, encoding="utf-8") as h, open(css, encoding="utf-8") as c:
    weasyprint.HTML(string=h.read()).write_pdf(out, stylesheets=[weasyprint.CSS(string=c.read())])
"""
# `briefing ARGS` in this interpreter, then its peak RSS (VmHWM: this process's own, not a
# figure inherited from the benchmark that forked it) into the file named first
PEAK = """
import sys
from briefing.cli import program
peak_file, sys.argv[1:] = sys.argv[1], sys.argv[2:]
try:
    program()  # the `briefing` program itself, which exits
finally:
    with open("/proc/self/status") as status:
        hwm = [line.split()[1] for line in status if line.startswith("VmHWM:")]
    with open(peak_file, "w") as out:
        out.write(hwm[0] if hwm else "0")
"""

Row = tuple[str, str, str, bool | None]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    med, low, high = statistics.median(values), min(values), max(values)
    return f"{med:.{digits}f} {unit} ({low:.{digits}f}-{high:.{digits}f})"


def write_config(path: Path, sources: list[dict[str, Any]], database: Path, **extra: Any) -> Config:
    """The shipped config with these sources, no topic gate and its own database."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["sources"] = sources
    data["output"] = {**data.get("output", {}), "dir": str(path.parent / f"{path.stem}-out")}
    data["topic"] = {}
    data["database"] = f"sqlite:///{database}"
    data.update(extra)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_config(path)


def feed_sources(folder: Path) -> list[dict[str, Any]]:
    files = sorted(folder.glob("source-*.xml"))
    return [{"name": f.stem, "type": "feed", "path": str(f)} for f in files]


def wall(command: list[str], before: Callable[[], Any] | None = None) -> float:
    """Wall seconds of one whole process (which must succeed)."""
    if before is not None:
        before()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[:4])}... failed:\n{done.stderr[-2000:]}")
    return seconds


def briefing(*args: str) -> list[str]:
    """The command, run as installed: byte-compiled, as `pip install` leaves a package (an
    editable checkout under PYTHONDONTWRITEBYTECODE would compile every module on every run,
    while the libraries it is compared with are compiled)."""
    compileall.compile_dir(ROOT / "briefing", quiet=1)
    return [sys.executable, "-m", "briefing", *args]


def bench_collect(work: Path, runs: int, items: int = 10_000, files: int = 25) -> list[Row]:
    folder = work / "collect"
    progress(f"collect: {items:,} entries in {files} feed files")
    write(folder, items, files, 1, DAY, seed=11)
    database = work / "collect.db"
    config_path = work / "collect.yaml"
    config = write_config(config_path, feed_sources(folder), database)
    paths = sorted(folder.glob("source-*.xml"))
    bare_command = [sys.executable, "-c", BARE_FEEDPARSER, *map(str, paths)]
    ours_command = briefing("collect", "--config", str(config_path))
    fresh = lambda: database.unlink(missing_ok=True)  # noqa: E731
    counts: dict[str, int] = {}
    times: dict[str, list[float]] = {k: [] for k in ("ours", "bare", "ours_p", "bare_p")}
    for _ in range(runs):  # interleaved: both sides of each ratio see the same machine
        fresh()
        started = time.perf_counter()
        counts["ours"] = sum(r.new for r in collect_into_store(config))
        times["ours"].append(time.perf_counter() - started)
        started = time.perf_counter()
        counts["bare"] = sum(
            len(feedparser.parse(io.BytesIO(p.read_bytes())).entries) for p in paths
        )
        times["bare"].append(time.perf_counter() - started)
        times["ours_p"].append(wall(ours_command, before=fresh))
        times["bare_p"].append(wall(bare_command))
    if counts["ours"] != counts["bare"]:
        progress(f"  collect stored {counts['ours']} items of {counts['bare']} entries")
    n = counts["bare"]
    rate = {k: [n / t for t in v] for k, v in times.items()}
    in_process = statistics.median(rate["ours"]) / statistics.median(rate["bare"])
    whole = statistics.median(times["bare_p"]) / statistics.median(times["ours_p"])
    target = f">= {COLLECT_TARGET:g}"
    ok = (in_process >= COLLECT_TARGET, whole >= COLLECT_TARGET)
    label = f"collect {n:,} entries, {files} files"
    return [
        (f"{label}, in-process", spread(rate["ours"], "items/s", 0), "", None),
        ("bare feedparser, same files, in-process", spread(rate["bare"], "items/s", 0), "", None),
        (f"{label} / bare feedparser, in-process", f"{in_process:.2f}", target, ok[0]),
        (f"`briefing collect`, {label}, whole process", spread(times["ours_p"]), "", None),
        ("bare feedparser, same files, whole process", spread(times["bare_p"]), "", None),
        ("collect / bare feedparser, whole processes", f"{whole:.2f}", target, ok[1]),
    ]


def collected_day(work: Path, items: int, name: str) -> tuple[Path, Path, Path]:
    """A one-day workload collected once: (config of the runs, collected db, db of a run)."""
    folder = work / name
    write(folder, items, 50, 1, DAY, seed=7)
    base, run = work / f"{name}.db", work / f"{name}-run.db"
    started = time.perf_counter()
    config = write_config(work / f"{name}-base.yaml", feed_sources(folder), base)
    stored = sum(r.new for r in collect_into_store(config))
    progress(f"  collected {stored:,} items in {time.perf_counter() - started:.1f} s (once)")
    config_path = work / f"{name}.yaml"
    write_config(config_path, feed_sources(folder), run)
    return config_path, base, run


def bench_day(work: Path, runs: int, items: int = 10_000) -> list[Row]:
    progress(f"day: {items:,} items, whole process without the PDF")
    config, base, run = collected_day(work, items, f"day-{items}")
    peak_file = work / "peak.txt"
    command = [sys.executable, "-c", PEAK, str(peak_file)]
    command += ["build", "--config", str(config), "--date", DAY.isoformat(), "--no-collect"]
    command += ["--format", "md,html,json"]
    seconds, peaks = [], []
    for _ in range(runs):
        seconds.append(wall(command, before=lambda: shutil.copyfile(base, run)))
        peaks.append(int(peak_file.read_text()) / 1024)
    label = f"{items:,}-item day, md+html+json"
    day_ok = statistics.median(seconds) <= DAY_TARGET
    memory_ok = statistics.median(peaks) <= MEMORY_TARGET
    return [
        (f"{label}, whole process", spread(seconds), f"<= {DAY_TARGET:g} s", day_ok),
        (f"{label}, peak RSS", spread(peaks, "MB", 0), f"<= {MEMORY_TARGET} MB", memory_ok),
    ]


def bench_pdf(work: Path, runs: int, items: int = 500) -> list[Row]:
    progress(f"pdf: {items}-item day, build --format pdf against bare WeasyPrint")
    config, base, run = collected_day(work, items, f"pdf-{items}")
    day = DAY.isoformat()
    common = ["build", "--config", str(config), "--date", day, "--no-collect", "--format"]
    shutil.copyfile(base, run)
    subprocess.run(briefing(*common, "html"), check=True, capture_output=True, cwd=ROOT)
    html = work / f"{config.stem}-out" / day / f"briefing-{day}.html"
    from briefing.render import Templates

    cfg = load_config(config)
    css = work / "print.css"
    css.write_text(Templates(cfg.templates_dir, cfg.zone).source("print.css"), encoding="utf-8")
    bare = [sys.executable, "-c", BARE_WEASYPRINT, str(html), str(css), str(work / "bare.pdf")]
    ours_command = briefing(*common, "pdf")
    wall(bare)  # untimed: font caches and the file cache warm for both sides
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(wall(ours_command, before=lambda: shutil.copyfile(base, run)))
        theirs.append(wall(bare))
    ratio = statistics.median(ours) / statistics.median(theirs)
    ok = ratio <= PDF_TARGET
    return [
        (f"{items}-item day, `build --format pdf`, whole process", spread(ours), "", None),
        ("bare WeasyPrint process, same HTML and CSS", spread(theirs), "", None),
        ("build pdf / bare WeasyPrint, whole processes", f"{ratio:.2f}", f"<= {PDF_TARGET:g}", ok),
    ]


def bench(work: Path, runs: int, quick: bool = False) -> list[Row]:
    rows = bench_collect(work, runs, 2_000 if quick else 10_000)
    rows += bench_day(work, runs, 1_000 if quick else 10_000)
    rows += bench_pdf(work, runs)
    return rows


def table(rows: list[Row]) -> str:
    head = ("measure", "median (min-max)", "target", "")
    cells = [(a, b, c, "" if d is None else ("ok" if d else "MISSED")) for a, b, c, d in rows]
    widths = [max(len(r[i]) for r in [head, *cells]) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, tuple("-" * w for w in widths), *cells]
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure")
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    parser.add_argument("--keep", type=Path, help="work here and keep the files (must be new)")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: directory is not empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        rows = bench(args.keep.resolve(), args.runs, args.quick)
    else:
        with tempfile.TemporaryDirectory(prefix="briefing-ratios-") as tmp:
            rows = bench(Path(tmp), args.runs, args.quick)
    print(f"briefing ratios ({args.runs} runs per figure, {os.cpu_count()} cores)")
    print(table(rows))
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
