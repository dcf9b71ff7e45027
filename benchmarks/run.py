"""The whole benchmark suite as one table: collect, concurrency, build stages, the PDF, store
size, CLI.

    python benchmarks/run.py              # the issues' sizes, 5 runs each (about ten minutes)
    python benchmarks/run.py --quick      # smaller sizes, a smoke run in about two minutes
    python benchmarks/run.py --runs 7 --keep /tmp/bench   # keep workloads, configs, databases

Every figure is the median of `--runs` runs with (min-max); every ratio compares two medians
measured in the same run, side by side (runs alternate between the two sides). Workloads come
from benchmarks/generate.py (seeded); configs are the shipped config.yaml with generated feed
sources, no topic gate and a database of their own. Targets are printed beside the figures as
ok/MISSED.

- collect (benchmarks/ratios.py): 10,000 new entries from 25 local feed files against bare
  `feedparser.parse` of the same files, in-process and as whole processes, a fresh database
  each run;
- concurrency: 500 `url:` sources on a local HTTP server that answers each request after
  200 ms, collected with the default concurrency, a fresh database each run;
- build stages of a 500- and a 5,000-item day, each run on a fresh copy of the collected
  database: select+gate+cluster (`assemble`, not recorded), classify, the whole build of
  md/html/json ("everything but the PDF") and the whole build of the PDF; the two builds run in
  a fresh process each (imports untimed) that reports its peak RSS (VmHWM);
- a 10,000-item day (benchmarks/ratios.py): `briefing build --no-collect --format md,html,json`
  as a whole process, wall time and peak RSS;
- the PDF (benchmarks/ratios.py): `briefing build --no-collect --format pdf` of a 500-item day
  as a whole process against a bare WeasyPrint process laying out the same HTML and stylesheet;
- store size: building one 500-item day with 1,000 versus 100,000 items stored;
- `briefing --help` wall time in a subprocess.
Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from briefing.config import Config, load_config
from briefing.pipeline import build, collect_into_store
from briefing.pipeline.collect import CONCURRENCY
from briefing.store import Store
from briefing.stories import Classifier
from briefing.stories.assemble import assemble

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DAY = date(2025, 5, 28)
DELAY = 0.2  # seconds the slow server waits before each answer

sys.path.insert(0, str(HERE))
import ratios  # noqa: E402
from generate import write  # noqa: E402

CHILD = """
import json, resource, shutil, sys, time
from datetime import date
from pathlib import Path
from briefing.config import load_config
from briefing.pipeline import build
config_path, base, run, day, formats = sys.argv[1:6]
formats = formats.split(",")
if "pdf" in formats:
    import weasyprint  # noqa: F401  (imports are not the build's work)
config = load_config(Path(config_path))
shutil.copyfile(base, run)
started = time.perf_counter()
build(config, date.fromisoformat(day), formats, collect_first=False)
seconds = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forked parent across exec
with open("/proc/self/status") as status:
    hwm = [line.split()[1] for line in status if line.startswith("VmHWM:")]
peak = int(hwm[0]) * 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak}))
"""


@dataclass
class Sizes:
    collect_items: int = 10_000
    collect_sources: int = 25
    slow_sources: int = 500
    days: tuple[int, ...] = (500, 5_000)
    stored: tuple[int, int] = (1_000, 100_000)
    store_day: int = 500
    big_day: int = 10_000


QUICK = Sizes(2_000, 25, 500, (500, 1_000), (1_000, 10_000), 500, 2_000)


@dataclass
class Table:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, what: str, figure: str, target: str = "", passed: bool | None = None) -> None:
        verdict = "" if passed is None else ("ok" if passed else "MISSED")
        self.rows.append((what, figure, target, verdict))
        progress(f"  {what}: {figure} {target} {verdict}")

    def print(self) -> None:
        head = ("measure", "median (min-max)", "target", "")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(4)]
        for row in [head, tuple("-" * w for w in widths), *self.rows]:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        for note in self.notes:
            print(f"- {note}")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any], runs: int, before: Callable[[], Any] | None = None) -> list[float]:
    """Seconds of each of `runs` calls of `fn`; `before` runs untimed ahead of each call."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    med, low, high = statistics.median(values), min(values), max(values)
    return f"{med:.{digits}f} {unit} ({low:.{digits}f}-{high:.{digits}f})"


def write_config(path: Path, sources: list[dict[str, Any]], database: Path) -> Config:
    """The shipped config with these sources, no topic gate and its own database."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["sources"] = sources
    data["output"] = {**data.get("output", {}), "dir": str(path.parent / "output")}
    data["topic"] = {}
    data["database"] = f"sqlite:///{database}"
    if data.get("templates"):
        data["templates"] = str((ROOT / data["templates"]).resolve())
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_config(path)


def file_sources(*dirs: Path) -> list[dict[str, Any]]:
    """One feed source per generated file (a source keeps at most 5,000 items)."""
    return [
        {"name": f"{d.name}-{f.stem}", "type": "feed", "path": str(f)}
        for d in dirs
        for f in sorted(d.glob("source-*.xml"))
    ]


def fresh(*paths: Path) -> Callable[[], None]:
    def remove() -> None:
        for p in paths:
            p.unlink(missing_ok=True)

    return remove


def copier(base: Path, run: Path) -> Callable[[], None]:
    return lambda: shutil.copyfile(base, run)


def collected(config: Config) -> int:
    reports = collect_into_store(config)
    failed = [r for r in reports if r.status not in ("ok", "not modified")]
    if failed:
        raise RuntimeError(f"{len(failed)} sources failed, e.g. {failed[0].message}")
    return sum(r.new for r in reports)


# --- 2. concurrency --------------------------------------------------------------------------


class SlowFeed(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(DELAY)
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Slow {self.path}</title><item><title>Talks in Geneva, {self.path}</title>"
            f"<link>https://slow.example{self.path}</link><guid>https://slow.example{self.path}"
            "</guid><pubDate>Wed, 28 May 2025 09:00:00 +0000</pubDate><description>Delegations"
            " met in Geneva to discuss a ceasefire.</description></item></channel></rss>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


@contextlib.contextmanager
def slow_server() -> Iterator[int]:
    server = Server(("127.0.0.1", 0), SlowFeed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def bench_concurrency(work: Path, sizes: Sizes, runs: int, table: Table) -> None:
    n = sizes.slow_sources
    progress(f"concurrency: {n} sources, {DELAY * 1000:.0f} ms each, {runs} runs")
    database = work / "slow.db"
    with slow_server() as port:
        sources = [
            {
                "name": f"slow-{i:03d}",
                "type": "feed",
                "url": f"http://127.0.0.1:{port}/feed/{i}",
                "allow_private": True,
            }
            for i in range(n)
        ]
        config = write_config(work / "slow.yaml", sources, database)
        stored: list[int] = []
        times = timed(lambda: stored.append(collected(config)), runs, before=fresh(database))
    if stored[-1] != n:
        table.notes.append(f"concurrency: only {stored[-1]} of {n} items were stored")
    floor = n / CONCURRENCY * DELAY
    table.add(
        f"collect {n} sources at {DELAY * 1000:.0f} ms (concurrency {CONCURRENCY})",
        spread(times),
        "<= 10 s",
        statistics.median(times) <= 10,
    )
    table.notes.append(
        f"concurrency: {runs} runs; the floor with {CONCURRENCY} workers is {floor:.2f} s"
    )


# --- 3. build stages -------------------------------------------------------------------------


def in_child(config: Path, base: Path, run: Path, formats: list[str]) -> dict[str, float]:
    """One whole build in a fresh process: its seconds (imports excluded) and peak RSS."""
    args = [sys.executable, "-c", CHILD, str(config), str(base), str(run), DAY.isoformat()]
    done = subprocess.run([*args, ",".join(formats)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(f"build in a subprocess failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_day(work: Path, n_items: int, runs: int, table: Table) -> None:
    feeds = work / f"day-{n_items}"
    write(feeds, n_items, 50, 1, DAY, seed=7)
    base, run = work / f"day-{n_items}.db", work / f"day-{n_items}-run.db"
    write_config(work / f"day-{n_items}-base.yaml", file_sources(feeds), base)
    progress(f"build stages: {n_items}-item day")
    stored = collected(load_config(work / f"day-{n_items}-base.yaml"))
    config_path = work / f"day-{n_items}.yaml"
    config = write_config(config_path, file_sources(feeds), run)
    result: dict[str, Any] = {}

    def select_cluster() -> None:
        with Store(config.database_url) as store:
            result["chosen"], result["stories"], _ = assemble(store, config, DAY, record=False)

    select_times = timed(select_cluster, runs, before=copier(base, run))
    stories = result["stories"]
    classify_times = timed(lambda: Classifier(config).assign_all(stories), runs)
    label = f"{n_items:,}-item day"
    table.add(
        f"{label}: select+gate+cluster ({stored:,} stored, "
        f"{len(result['chosen'].items):,} in the day -> {len(stories):,} stories)",
        spread(select_times, digits=3),
    )
    table.add(f"{label}: classify", spread(classify_times, digits=3))
    target = 1.5 if n_items <= 500 else 10.0
    for formats in (["md", "html", "json"], ["pdf"]):
        children = [in_child(config_path, base, run, formats) for _ in range(runs)]
        seconds = [c["seconds"] for c in children]
        peaks = [c["peak"] / 2**20 for c in children]
        name = "build md+html+json (all but PDF)" if formats[0] == "md" else "build pdf"
        if formats[0] == "md" and n_items in (500, 5_000):
            ok = statistics.median(seconds) <= target
            table.add(f"{label}: {name}", spread(seconds), f"<= {target:g} s", ok)
        elif formats[0] == "pdf" and n_items == 500:
            ok = statistics.median(seconds) <= 8
            table.add(f"{label}: {name}", spread(seconds), "<= 8 s", ok)
        else:
            table.add(f"{label}: {name}", spread(seconds))
        mem_target = n_items == 5_000
        table.add(
            f"{label}: peak RSS of {name}",
            spread(peaks, "MB", 0),
            "<= 1024 MB" if mem_target else "",
            statistics.median(peaks) <= 1024 if mem_target else None,
        )


# --- 4. store size ---------------------------------------------------------------------------


def bench_store(work: Path, sizes: Sizes, runs: int, table: Table) -> None:
    """The same 500-item day, with little or much history in the store. The history ends 41
    days before the day: beyond the days a build records first when they hold items but were
    never built (pipeline.build.CATCH_UP_DAYS), which would make the larger store's build
    build a month of days too, and measure that rather than reading from a larger store."""
    small, large = sizes.stored
    day = work / "store-day"
    write(day, sizes.store_day, 50, 1, DAY, seed=21)
    first = DAY - timedelta(days=240)
    configs = {}
    for total in (small, large):
        history = work / f"store-history-{total}"
        progress(f"store size: generating {total - sizes.store_day:,} items of history")
        write(history, total - sizes.store_day, 200, 199, first, seed=22)
        base, run = work / f"store-{total}.db", work / f"store-{total}-run.db"
        sources = file_sources(day, history)
        base_config = write_config(work / f"store-{total}-base.yaml", sources, base)
        started = time.perf_counter()
        count = collected(base_config)
        took = time.perf_counter() - started
        progress(f"  collected {count:,} items in {took:.1f} s")
        table.notes.append(f"store size: collecting {count:,} items took {took:.1f} s (once)")
        configs[total] = (write_config(work / f"store-{total}.yaml", sources, run), base, run)
    times: dict[int, list[float]] = {small: [], large: []}

    def building(config: Config) -> Callable[[], Any]:
        return lambda: build(config, DAY, ["md", "html", "json"], collect_first=False)

    for _ in range(runs):  # interleaved
        for total, (config, base, run) in configs.items():
            times[total] += timed(building(config), 1, before=copier(base, run))
    for total in (small, large):
        table.add(f"build a 500-item day, {total:,} stored", spread(times[total]))
    ratio = statistics.median(times[large]) / statistics.median(times[small])
    table.add(f"store size ratio {large:,} / {small:,}", f"{ratio:.2f}", "<= 1.2", ratio <= 1.2)


# --- 5. briefing --help ----------------------------------------------------------------------


def bench_help(runs: int, table: Table) -> None:
    script = Path(sys.executable).parent / "briefing"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "briefing"]
    run = [*command, "--help"]
    subprocess.run(run, capture_output=True, check=True)  # untimed: warm the file cache
    times = timed(lambda: subprocess.run(run, capture_output=True, check=True), runs)
    ok = statistics.median(times) <= 0.3
    table.add("briefing --help (wall, subprocess)", spread(times, digits=3), "<= 0.3 s", ok)


def bench(work: Path, sizes: Sizes, runs: int, slow_runs: int) -> Table:
    table = Table()
    for row in ratios.bench_collect(work, runs, sizes.collect_items, sizes.collect_sources):
        table.add(*row)
    bench_concurrency(work, sizes, slow_runs, table)
    for n_items in sizes.days:
        bench_day(work, n_items, runs, table)
    for row in ratios.bench_day(work, runs, sizes.big_day):
        table.add(*row)
    for row in ratios.bench_pdf(work, runs):
        table.add(*row)
    bench_store(work, sizes, runs, table)
    bench_help(runs, table)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (at least 5)")
    parser.add_argument("--slow-runs", type=int, help="runs of the 500 slow sources (>= 3)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    parser.add_argument("--keep", type=Path, help="work here and keep the files (must be new)")
    args = parser.parse_args()
    if args.runs < 5 and not args.quick:
        parser.error("--runs: at least 5 (or --quick)")
    slow_runs = args.slow_runs or (3 if args.quick else args.runs)
    if slow_runs < 3:
        parser.error("--slow-runs: at least 3")
    runs = min(args.runs, 3) if args.quick else args.runs
    sizes = QUICK if args.quick else Sizes()
    logging.getLogger("briefing").setLevel(logging.ERROR)
    started = time.perf_counter()
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: directory is not empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        table = bench(args.keep.resolve(), sizes, runs, slow_runs)
    else:
        with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
            table = bench(Path(tmp), sizes, runs, slow_runs)
    mode = "quick sizes" if args.quick else "full sizes"
    print(f"briefing benchmarks ({mode}, {runs} runs per figure, {slow_runs} for concurrency)")
    table.print()
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
