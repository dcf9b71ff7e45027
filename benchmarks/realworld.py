"""Real pages and feeds (issue 15): what the `page` and `feed` sources keep, lose or refuse on
public corpora nobody here wrote, beside bare trafilatura and htmldate on the same bytes.

    python benchmarks/realworld.py --trafilatura CORPORA/trafilatura/tests \\
        --htmldate CORPORA/htmldate/tests --benchmark CORPORA/article-extraction-benchmark \\
        --feeds CORPORA/netnewswire --feeds CORPORA/feed-rs [--records out.jsonl]

The corpora are other projects' test data, not shipped here: adbar/trafilatura `tests/`
(evaldata.json: snippets the text must and must not hold, titles, days), adbar/htmldate `tests/`
(eval_default.json, eval_mediacloud_2020.json: days), scrapinghub/article-extraction-benchmark
(ground-truth.json: whole article bodies) and folders of feed files (NetNewsWire's RSParser
test resources, feed-rs's `fixture/`).

Text F1 is the article-extraction-benchmark's metric, written here from its description: 4-gram
shingles of word tokens, per-page TP/FP/FN normalised to sum 1, precision and recall averaged
over pages, F1 of the two means. trafilatura runs with our options (no comments), so a gap is
our wrapper's doing. Nothing is fetched: this process refuses every socket connection.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import re
import signal
import socket
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))
from realworld_scores import (
    blocked,
    live_markers,
    mojibake,
    norm,
    report_feeds,
    report_pages,
    shingle_counts,
    site_in_title,
    snippet_counts,
    visible_chars,
)

if TYPE_CHECKING:
    from briefing.models import Item

# -- adapters: the only calls into briefing ---------------------------------------------------

CAPTURED = datetime(2026, 1, 1, tzinfo=UTC)
ZONE = ZoneInfo("UTC")


def run_page_source(data: bytes, url: str | None, origin: str) -> tuple[list[Item], list[str]]:
    """Items and warnings of a `page` source reading these bytes (as fetched from `url`)."""
    from briefing.sources import Document, PageSource, ParseContext

    source = PageSource(name="corpus", type="page", url=url, path=None if url else origin)
    doc = Document(origin, data, url=url)
    parsed = source.parse(doc, ParseContext(captured=CAPTURED, zone=ZONE))
    return parsed.items, parsed.warnings


def run_feed_source(data: bytes, origin: str) -> tuple[list[Item], list[str]]:
    """Items and warnings of a `feed` source reading this file."""
    from briefing.sources import Document, FeedSource, ParseContext

    source = FeedSource(name="corpus", type="feed", path=origin)
    parsed = source.parse(Document(origin, data), ParseContext(captured=CAPTURED, zone=ZONE))
    return parsed.items, parsed.warnings


def size_cut(data: bytes) -> tuple[bool, bool, bool]:
    """(the page is cut before extraction, the cut loses visible body text, it loses it all)."""
    from briefing.sources.htmlpage import load_tree
    from briefing.sources.pages import bounded_tree

    root = load_tree(data, "")
    if isinstance(root, str) or (cut := bounded_tree(root)) is root:
        return False, False, False
    before, after = visible_chars(root), visible_chars(cut)
    return True, after < before, after == 0 < before


def disable_size_cut() -> None:
    """To measure what the page source would do without its size cut."""
    from briefing.sources import pages

    pages.EXTRACT_CHARS = pages.EXTRACT_NODES = 10**12


def body_cap() -> tuple[int, str]:
    """The longest body an item keeps, and the mark a cut body ends with."""
    from briefing.text.clean import MAX_BODY, TRUNCATED

    return MAX_BODY, TRUNCATED


def canonical(url: str | None) -> str | None:
    """The address items are told apart by (fragment, tracking parameters... removed)."""
    from briefing.text.identity import canonical_url

    return canonical_url(url)


# -- corpora ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    corpus: str
    path: Path
    url: str | None
    text: str | None = None  # the whole gold text
    must: tuple[str, ...] = ()  # gold snippets the text must hold ...
    must_not: tuple[str, ...] = ()  # ... and must not
    day: str | None = None
    title: str | None = None


def _index(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / "tests" / name):
        if candidate.is_file():
            return candidate
    raise SystemExit(f"{name} not found in {folder}")


def _annotated(corpus: str, index: Path, subdirs: tuple[str, ...]) -> Iterator[Page]:
    """Pages of a trafilatura/htmldate index: {url or label: {"file", "date", "title", ...}}."""
    for key, gold in json.loads(index.read_text(encoding="utf-8")).items():
        strings = {k: v for k, v in gold.items() if isinstance(v, str) and v}  # dates may be NaN
        path = next((p for d in subdirs if (p := index.parent / d / gold["file"]).is_file()), None)
        url = key.strip() if re.match(r"https?://\S+$", key.strip()) else None  # or a label
        if path is not None:
            must, must_not = tuple(gold.get("with", ())), tuple(gold.get("without", ()))
            yield Page(
                corpus, path, url, None, must, must_not, strings.get("date"), strings.get("title")
            )


def load_pages(args: argparse.Namespace) -> list[Page]:
    pages: list[Page] = []
    if args.trafilatura:
        pages += _annotated(
            "trafilatura", _index(args.trafilatura, "evaldata.json"), ("cache", "eval")
        )
    if args.htmldate:
        pages += _annotated(
            "htmldate", _index(args.htmldate, "eval_default.json"), ("cache", "eval")
        )
        pages += _annotated(
            "htmldate-mc", _index(args.htmldate, "eval_mediacloud_2020.json"), ("test_set",)
        )
    if args.benchmark:
        truth = json.loads(_index(args.benchmark, "ground-truth.json").read_text(encoding="utf-8"))
        for key, gold in truth.items():
            path = args.benchmark / "html" / f"{key}.html.gz"
            pages.append(Page("benchmark", path, gold.get("url"), gold["articleBody"]))
    return pages


# -- one page, one feed (each in a worker process) ----------------------------------------------


def measure_page(page: Page) -> dict[str, Any]:
    """Everything the report needs about one page, for us (plain keys) and trafilatura (`t_`)."""
    from htmldate import find_date
    from trafilatura import bare_extraction

    signal.alarm(180)  # one pathological page must not stall the run
    rec: dict[str, Any] = {"corpus": page.corpus, "file": page.path.name, "gold_day": page.day}
    try:
        data = page.path.read_bytes()
        data = gzip.decompress(data) if page.path.suffix == ".gz" else data
        items, warnings = run_page_source(data, page.url, str(page.path))
        cap, mark = body_cap()
        first = items[0] if items else None
        text = "\n\n".join(i.body for i in items)
        title, outlet = (first.title, first.outlet) if first else (None, None)
        rec.update(_scores(page, "", text, title, outlet))
        rec["items"] = len(items)
        rec["reasons"] = [w.removeprefix(str(page.path)).strip() for w in warnings]
        rec["day"] = first.published.date().isoformat() if first and first.published else None
        rec["has_time"] = bool(first and first.published and not first.date_only)
        rec["capped"] = sum(i.body.endswith(mark) and len(i.body) > cap // 2 for i in items)
        rec["blocked"] = bool(title and blocked(title))
        rec["cut"], rec["cut_damage"], rec["body_lost"] = size_cut(data)
        rec["live"] = live_markers(data)
        doc = bare_extraction(data, url=page.url, with_metadata=True, include_comments=False)
        found = [getattr(doc, k, None) for k in ("text", "title", "sitename", "date")]
        rec.update(_scores(page, "t_", found[0] or "", found[1], found[2]))
        rec["t_day"] = str(found[3])[:10] if found[3] else None
        rec["h_day"] = find_date(data, url=page.url, original_date=True) if page.day else None
    except Exception as exc:  # a crash is a finding, not the end of the run
        rec["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:100]}"
    finally:
        signal.alarm(0)
    return rec


def _scores(
    page: Page, prefix: str, text: str, title: str | None, site: str | None
) -> dict[str, Any]:
    """What one extractor got right and wrong on one page."""
    names = [site or "", urlsplit(page.url or "").hostname or ""]
    rec: dict[str, Any] = {
        "title": title,
        "len": len(text),
        "site_title": bool(title and site_in_title(title, names)),
        "mojibake": mojibake(text + (title or "")),
    }
    if page.text is not None:
        rec["f1"], rec["gold_len"] = shingle_counts(page.text, text), len(page.text)
    if page.must or page.must_not:
        rec["snip"] = snippet_counts(page.must, page.must_not, text)
    if page.title is not None:
        rec["title_ok"] = norm(title or "") == norm(page.title)
    return {prefix + key: value for key, value in rec.items()}


_FEED_FILES = {".xml", ".rss", ".atom", ".rdf", ".json"}
_ENTRY_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")


def is_feed(path: Path) -> bool:
    """Feed files by name; feed-rs keeps its expected parse results beside them (.serde.json)."""
    return path.suffix in _FEED_FILES and not path.name.endswith(".serde.json")


def measure_feed(path: Path) -> dict[str, Any]:
    """Entries a feed reader sees in the file against the items our feed source would store."""
    import feedparser

    data = path.read_bytes()
    rec: dict[str, Any] = {"file": f"{path.parent.name}/{path.name}", "bozo": None, "tags": "-"}
    links: list[str | None] = []
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        with contextlib.suppress(ValueError, AttributeError):
            links = [e.get("url") for e in json.loads(data).get("items", []) if isinstance(e, dict)]
    else:
        parsed = feedparser.parse(io.BytesIO(data))
        links = [e.get("link") for e in parsed.entries]
        if parsed.get("bozo"):
            rec["bozo"] = str(parsed.get("bozo_exception")).splitlines()[0][:80]
        rec["tags"] = len(_ENTRY_TAG.findall(data))
    items, warnings = run_feed_source(data, str(path))
    cap, mark = body_cap()
    by_id: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_id[item.id].append(item)
    why: Counter[str] = Counter()
    for group in (g for g in by_id.values() if len(g) > 1):
        urls = {i.url for i in group}
        one_page = len({canonical(u) for u in urls}) == 1 and any("#" in (u or "") for u in urls)
        kind = "no link, same title" if None in urls else "same link" if len(urls) == 1 else None
        kind = kind or ("links differ only by #fragment" if one_page else "ids collide")
        why[kind] += len(group) - 1
    if relative := sum(1 for link in links if link and not re.match(r"https?://", link)):
        why["relative or non-http link dropped"] = relative
    if len(links) > len(items):
        why["entries that became no item"] = len(links) - len(items)
    rec.update(entries=len(links), items=len(items), stored=len(by_id), why=dict(why))
    rec["status"] = ("failed" if not items else "warning") if warnings else "ok"
    rec["capped"] = sum(i.body.endswith(mark) and len(i.body) > cap // 2 for i in items)
    rec["warnings"] = [w.removeprefix(str(path)).strip()[:120] for w in warnings]
    return rec


# -- main ---------------------------------------------------------------------------------------


def refuse_network() -> None:
    """Every corpus is local: a connection attempt would be a library fetching behind our back."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("benchmarks/realworld.py never uses the network")

    socket.socket.connect = socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.getaddrinfo = socket.create_connection = refuse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--trafilatura", type=Path, help="adbar/trafilatura tests/ folder")
    parser.add_argument("--htmldate", type=Path, help="adbar/htmldate tests/ folder")
    parser.add_argument("--benchmark", type=Path, help="article-extraction-benchmark folder")
    parser.add_argument("--feeds", type=Path, action="append", default=[], help="feed folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-size-cut", action="store_true", help="what the size cut costs")
    parser.add_argument("--records", type=Path, help="write one JSON line per page and feed")
    args = parser.parse_args(argv)
    refuse_network()  # before the workers fork, so they inherit it
    if args.no_size_cut:
        disable_size_cut()
    pages = load_pages(args)
    feeds = sorted(p for folder in args.feeds for p in folder.rglob("*") if is_feed(p))
    with ProcessPoolExecutor(args.jobs) as pool:
        page_records = list(pool.map(measure_page, pages, chunksize=4))
        feed_records = list(pool.map(measure_feed, feeds, chunksize=4))
    if page_records:
        report_pages(page_records, body_cap()[0])
    if feed_records:
        report_feeds(feed_records)
    if args.records:
        lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in page_records + feed_records)
        args.records.write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
