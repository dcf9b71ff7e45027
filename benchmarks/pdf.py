"""PDF speed and size for one day's briefing (targets: 500 items -> PDF <= 8 s, < 40 pages;
our render_pdf <= 1.1 x bare WeasyPrint on the same HTML and CSS in one process; the whole
`briefing build --format pdf` process <= 1.3 x a bare WeasyPrint process on the same HTML).

    python benchmarks/pdf.py --items 500 --runs 5
    python benchmarks/pdf.py --items 500 --keep /tmp/pdfbench   # keep workload, config, output

Generates a workload with benchmarks/generate.py (one day, 2025-05-28, 50 sources), writes a
config beside it (the shipped config.yaml with one feed source over the generated files, no
topic gate), builds the briefing once (collect + stories + md/html/json), then times
`render_html`, our `render_pdf` and bare WeasyPrint (after one untimed warm-up). Prints median
(min-max) seconds, the PDF's pages and size, and the process's peak RSS. Then, as whole
processes side by side (benchmarks/ratios.py), `briefing build --no-collect --format pdf`
against a bare WeasyPrint process laying out the same HTML with the same stylesheet.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from briefing.config import load_config
from briefing.pipeline import build
from briefing.render import Templates, render_html
from briefing.render.pdf import render_pdf

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DAY = date(2025, 5, 28)
TARGET_SECONDS = 8.0
TARGET_PAGES = 40  # strictly fewer
TARGET_RATIO = 1.1

sys.path.insert(0, str(HERE))
import ratios  # noqa: E402
from generate import write  # noqa: E402


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    """Seconds of each of `runs` calls of `fn`, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def stats(times: list[float], digits: int = 2) -> str:
    median, low, high = statistics.median(times), min(times), max(times)
    return f"median {median:.{digits}f} s (min {low:.{digits}f}, max {high:.{digits}f})"


def ok(passed: bool) -> str:
    return "ok" if passed else "MISSED"


def write_config(work: Path) -> Path:
    """The shipped config with one feed source over the workload and no topic gate."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["sources"] = [{"name": "workload", "type": "feed", "path": str(work / "source-*.xml")}]
    data["output"] = {**data.get("output", {}), "dir": str(work)}
    data["topic"] = {}
    data.pop("database", None)  # the default: a fresh SQLite file in the output dir
    if data.get("templates"):
        data["templates"] = str((ROOT / data["templates"]).resolve())
    path = work / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bench(work: Path, n_items: int, runs: int) -> None:
    generated = write(work, n_items, 50, 1, DAY, seed=7)
    config = load_config(write_config(work))
    started = time.perf_counter()
    result = build(config, DAY, ["md", "html", "json"], collect_first=True)
    build_seconds = time.perf_counter() - started
    briefing = result.briefing
    templates = Templates(config.templates_dir, config.zone)
    css = templates.source("print.css")

    html_times, html = timed(lambda: render_html(briefing, templates), runs)

    import weasyprint

    def bare() -> bytes:
        document = weasyprint.HTML(string=html)
        return document.write_pdf(stylesheets=[weasyprint.CSS(string=css)])

    bare()  # untimed warm-up (imports, font discovery, caches), so neither side pays for it
    ours_times, pdf = timed(lambda: render_pdf(html, css, templates.roots), runs)

    bare_times, bare_pdf = timed(bare, runs)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    bare_pages = len(PdfReader(io.BytesIO(bare_pdf)).pages)
    ratio = statistics.median(ours_times) / statistics.median(bare_times)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    shown = sum(len(section.visible) for section in briefing.sections)
    ours_median = statistics.median(ours_times)

    print(
        f"items {generated['items']} -> stories {briefing.story_count} (shown {shown}), "
        f"{runs} runs; build (collect + stories + md/html/json) {build_seconds:.2f} s"
    )
    print(f"render html      {stats(html_times, 3)}   {len(html) / 1024:.0f} KiB of HTML")
    print(
        f"pdf (ours)       {stats(ours_times)}   {pages} pages, {len(pdf) / 1024:.0f} KiB"
        f"   target <= {TARGET_SECONDS:.0f} s, < {TARGET_PAGES} pages: "
        f"{ok(ours_median <= TARGET_SECONDS)}, {ok(pages < TARGET_PAGES)}"
    )
    bare_kib = len(bare_pdf) / 1024
    print(f"pdf (bare)       {stats(bare_times)}   {bare_pages} pages, {bare_kib:.0f} KiB")
    print(f"ours / bare      {ratio:.2f}   target <= {TARGET_RATIO}: {ok(ratio <= TARGET_RATIO)}")
    print(f"peak RSS         {peak_kib / 1024:.0f} MB")
    whole = work / "whole"
    whole.mkdir()
    print(ratios.table(ratios.bench_pdf(whole, runs, n_items)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="work here and keep the files (must be new)")
    args = parser.parse_args()
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: directory is not empty")
        bench(args.keep.resolve(), args.items, args.runs)
        print(f"kept in {args.keep}")
    else:
        with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as tmp:
            bench(Path(tmp), args.items, args.runs)


if __name__ == "__main__":
    main()
