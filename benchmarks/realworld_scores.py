"""Scores and the printed report for benchmarks/realworld.py.

Pure functions over text and per-page records; nothing here imports briefing, so the module
paths of the restructuring only ever touch realworld.py's adapters.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import unicodedata
from collections import Counter
from typing import Any

Records = list[dict[str, Any]]

_WORD = re.compile(r"\w+")
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|â€")  # UTF-8 read as Windows-1252
_BLOCKED = re.compile(
    r"incapsula incident|request unsuccessful|access denied|attention required|just a moment|"
    r"enable (?:javascript|cookies)|are you a robot|captcha|403 forbidden|404 not found|"
    r"page not found|seite nicht gefunden",
    re.I,
)
_JSONLD = re.compile(rb"<script[^>]*ld\+json[^>]*>(.*?)</script>", re.S | re.I)
_SEPARATOR = re.compile(r"\s+[|–—:»·-]\s+|\s+::\s+")


def shingle_counts(gold: str, text: str) -> tuple[float, float, float]:
    """TP, FP, FN of 4-gram word shingles, normalised to sum 1 (long pages weigh no more)."""

    def shingles(value: str) -> Counter[tuple[str, ...]]:
        words = _WORD.findall(value)
        return Counter(tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3)) if words)

    want, got = shingles(gold), shingles(text)
    tp, fp, fn = sum((want & got).values()), sum((got - want).values()), sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def macro_f1(counts: list[tuple[float, float, float]]) -> float:
    """F1 of precision (averaged over pages with text) and recall (over pages with gold text)."""

    def score(hit: float, miss: float, other: float) -> float:
        return 1.0 if miss == other == 0 else hit / (hit + miss) if hit + miss else 0.0

    p = statistics.fmean([score(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0] or [0.0])
    r = statistics.fmean([score(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0] or [0.0])
    return 2 * p * r / (p + r) if p + r else 0.0


def page_f1(counts: tuple[float, float, float]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def snippet_f1(counts: list[list[int]]) -> float:
    """Micro F1 over gold snippets: found `must` = TP, missed = FN, found `must_not` = FP."""
    tp, fn, fp = (sum(c[i] for c in counts) for i in range(3))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _key(text: str) -> str:
    return re.sub(r"\W", "", text.casefold())


def site_in_title(title: str, names: list[str]) -> bool:
    """The title starts or ends with a site name (og:site_name, outlet, host) after a separator."""
    parts = _SEPARATOR.split(title)
    keys = {_key(n) for n in names} | {_key(n.rsplit(".", 1)[0]) for n in names if "." in n}
    return len(parts) > 1 and bool({_key(parts[0]), _key(parts[-1])} & (keys - {""}))


def visible_chars(root: Any) -> int:
    body = root.find(".//body")
    hidden = {"script", "style", "noscript", "template"}
    texts = body.xpath(".//text()") if body is not None else []
    return sum(len(t.strip()) for t in texts if t.getparent().tag not in hidden)


def live_markers(data: bytes) -> str:
    """Which schema.org live-blog syntax the page uses, with its number of updates."""
    kinds, nodes, updates = [], [], None
    for raw in _JSONLD.findall(data):
        with contextlib.suppress(ValueError):
            nodes.append(json.loads(raw, strict=False))
    while nodes:  # every LiveBlogPosting node, however nested
        node = nodes.pop()
        if isinstance(node, dict) and "LiveBlogPosting" in str(node.get("@type")):
            posts = node.get("liveBlogUpdate") or []
            updates = (updates or 0) + (len(posts) if isinstance(posts, list) else 1)
        nodes.extend(
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        )
    if updates is not None:
        kinds.append(f"json-ld:{updates}")
    if re.search(rb'itemtype\s*=\s*["\']https?://schema.org/LiveBlogPosting', data, re.I):
        kinds.append(f"microdata:{len(re.findall(rb'itemprop=.liveBlogUpdate', data))}")
    if re.search(rb'typeof\s*=\s*["\'][^"\']*LiveBlogPosting', data):
        kinds.append("rdfa")
    return " ".join(kinds)


def mojibake(text: str) -> int:
    """Sequences that UTF-8 read as Windows-1252 leaves ("Ã¼", "â€™")."""
    return len(_MOJIBAKE.findall(text))


def blocked(title: str) -> bool:
    """A title that block, challenge and error pages use."""
    return bool(_BLOCKED.search(title))


def snippet_counts(must: tuple[str, ...], must_not: tuple[str, ...], text: str) -> list[int]:
    """[TP, FN, FP]: `must` snippets found and missed, `must_not` snippets found."""
    body = norm(text)
    found = sum(norm(s) in body for s in must)
    return [found, len(must) - found, sum(norm(s) in body for s in must_not)]


# -- report -------------------------------------------------------------------------------------


def percentile(values: list[int], q: float) -> int:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-len(ordered) * q // 100)) - 1))]


def _share(judged: Records, hit: Any) -> str:
    return f"{sum(map(hit, judged)) / len(judged):.1%}" if judged else "-"


def _text_f1(rs: Records) -> str:
    if "f1" in rs[0]:
        return f"{macro_f1([r['f1'] for r in rs]):.3f}/{macro_f1([r['t_f1'] for r in rs]):.3f}"
    if "snip" in rs[0]:
        ours, theirs = snippet_f1([r["snip"] for r in rs]), snippet_f1([r["t_snip"] for r in rs])
        return f"{ours:.3f}/{theirs:.3f} snip"
    return "-"


def _row(rs: Records) -> list[str]:
    titled = [r for r in rs if "title_ok" in r]
    dated = [r for r in rs if r["gold_day"]]
    days = [_share(dated, lambda r, k=k: r[k] == r["gold_day"]) for k in ("day", "t_day", "h_day")]
    return [
        str(len(rs)),
        str(sum(r["items"] == 1 for r in rs)),
        str(sum(r["items"] > 1 for r in rs)),
        str(sum(r["items"] == 0 for r in rs)),
        str(sum(bool(r["reasons"]) for r in rs)),
        _text_f1(rs),
        f"{_share(titled, lambda r: r['title_ok'])}/{_share(titled, lambda r: r['t_title_ok'])}"
        f" ({len(titled)})",
        f"{'/'.join(days)} ({len(dated)})",
        f"{sum(r['has_time'] for r in rs)}/{sum(bool(r['day']) for r in rs)}",
        f"{sum(r['cut'] for r in rs)} ({sum(r['body_lost'] for r in rs)})",
        str(sum(r["capped"] > 0 for r in rs)),
    ]


HEADER = [
    "corpus",
    "pages",
    "1 item",
    ">1",
    "0 items",
    "warned",
    "text F1 ours/traf",
    "titles ours/traf (n)",
    "days ours/traf/htmldate (n)",
    "with time",
    "size cut (body lost)",
    "capped",
]


def _examples(records: Records) -> dict[str, list[str]]:
    """File names per failure kind, for the regression fixtures and the follow-up."""
    ok = [r for r in records if "error" not in r]

    def low(r: dict[str, Any]) -> bool:
        return "f1" in r and page_f1(r["f1"]) < 0.5 <= 0.8 <= page_f1(r["t_f1"])

    return {
        "crashed": [f"{r['file']} ({r['error']})" for r in records if "error" in r],
        "warned or refused": [
            f"{r['file']}: {'; '.join(r['reasons'])}" for r in ok if r["reasons"]
        ],
        "size cut loses the whole body": [r["file"] for r in ok if r["body_lost"]],
        "size cut loses some body text": [
            r["file"] for r in ok if r["cut_damage"] and not r["body_lost"]
        ],
        "mojibake where trafilatura has none": [
            f"{r['file']}: {r['title']}" for r in ok if r["mojibake"] and not r["t_mojibake"]
        ],
        "site name in our title": [f"{r['file']}: {r['title']}" for r in ok if r["site_title"]],
        "block or error page as an item": [
            f"{r['file']}: {r['title']}" for r in ok if r["blocked"]
        ],
        "live-blog markup": [
            f"{r['file']}: {r['live']} -> {r['items']} items" for r in ok if r["live"]
        ],
        "body capped": [
            f"{r['file']} (trafilatura {r['t_len']:,} chars)" for r in ok if r["capped"]
        ],
        "text F1 < 0.5 where trafilatura >= 0.8": [
            f"{r['file']}: {page_f1(r['f1']):.2f} vs {page_f1(r['t_f1']):.2f}" for r in ok if low(r)
        ],
    }


def report_pages(records: Records, cap: int, limit: int = 12) -> None:
    ok = [r for r in records if "error" not in r]
    rows = [HEADER] + [
        [name, *_row([r for r in ok if r["corpus"] == name])]
        for name in sorted({r["corpus"] for r in ok})
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    site, moji = (sum(bool(r[k]) for r in ok) for k in ("site_title", "mojibake"))
    t_site, t_moji = (sum(bool(r[k]) for r in ok) for k in ("t_site_title", "t_mojibake"))
    print(
        f"\n{len(ok)} pages: site name in the title: ours {site}, trafilatura {t_site}; "
        f"mojibake: ours {moji}, trafilatura {t_moji}"
    )
    print("warnings:", dict(Counter(x for r in ok for x in r["reasons"])))
    for kind, lines in _examples(records).items():
        lines = list(dict.fromkeys(lines))  # the date corpora share some pages
        if lines:
            print(f"\n{kind} ({len(lines)}):", *(f"  {x[:150]}" for x in lines[:limit]), sep="\n")
    print()
    for label, values in (
        ("gold text (benchmark)", [r["gold_len"] for r in ok if "gold_len" in r]),
        ("trafilatura text, 1-item pages", [r["t_len"] for r in ok if r["items"] == 1]),
    ):
        if values:
            cuts = " ".join(f"p{q}={percentile(values, q):,}" for q in (50, 95, 99, 99.5))
            over = sum(v > cap for v in values)
            print(f"{label}, chars: n={len(values)} {cuts} max={max(values):,}; > {cap:,}: {over}")


def report_feeds(records: Records) -> None:
    total = {k: sum(r[k] for r in records) for k in ("entries", "items", "stored", "capped")}
    status = dict(Counter(r["status"] for r in records))
    print(f"\nfeeds: {len(records)} files, {total}, status {status}")
    for r in records:
        notes = [f"{k} {v}" for k, v in r["why"].items()]
        notes += [f"{r['capped']} capped"] * bool(r["capped"]) + r["warnings"]
        notes += [f"parser: {r['bozo']}"] * bool(r["bozo"])
        if notes or r["entries"] > r["stored"] or r["status"] != "ok":
            print(
                f"  {r['file']}: {r['entries']} entries ({r['tags']} tags) -> {r['items']} "
                f"items, {r['stored']} stored [{r['status']}]; {'; '.join(notes)}"
            )
