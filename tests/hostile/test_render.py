"""Hostile items through every output format, and the PDF fetcher's boundaries."""

from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path

from pypdf import PdfReader

from hostile.invariants import audit_html, audit_markdown, audit_pdf

DAY = "2025-05-28"
PAYLOADS = [
    "<script>alert('x')</script>Kyiv talks resume",
    "<img src=x onerror=alert(1)>Kyiv drone attack",
    '<a href="JaVaScRiPt:alert(1)">Kyiv</a> <a href="vbscript:msgbox(1)">Ukraine</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">Kyiv</a> and Russia',
    '<img src="file:///etc/hostname"> Ukraine',
    '<p style="background:url(http://evil.example/x.png)">Ukraine sanctions</p>',
    "<svg><script>alert(1)</script></svg>Russia ceasefire",
    "[click](javascript:alert(1)) ![](http://tracker.example/p.png) Ukraine",
    "Ukraine \u202egnp.exe\u202c talks",
    "<link rel=attachment href=file:///etc/passwd> Kyiv",
    "Kyiv &lt;script&gt;alert(2)&lt;/script&gt; encoded tags",
]


def hostile_feed(path: Path) -> None:
    items = "".join(
        f"<item><title>{escape(p)}</title>"
        f"<link>{'javascript:alert(1)' if n % 2 else f'https://news.example/{n}'}</link>"
        f"<pubDate>Wed, 28 May 2025 {8 + n:02d}:00:00 +0300</pubDate>"
        f"<description>{escape('<p>' + p + ' ' + p + '</p>')}</description></item>"
        for n, p in enumerate(PAYLOADS)
    )
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile '
        f"&lt;b&gt;Wire&lt;/b&gt;</title>{items}</channel></rss>",
        encoding="utf-8",
    )


def test_hostile_items_stay_inert_in_every_format(cli, write_config, tmp_path: Path) -> None:
    feed = tmp_path / "hostile.xml"
    hostile_feed(feed)
    config = write_config(
        {"sources": [{"name": "hostile", "type": "feed", "path": str(feed)}], "topic": {}}
    )
    code, _, err = cli(
        "build", "--config", str(config), "--date", DAY, "--format", "md,html,json,pdf,email"
    )
    assert (code, err) == (0, "")
    folder = tmp_path / "out" / DAY
    html = (folder / f"briefing-{DAY}.html").read_text("utf-8")
    email = (folder / f"briefing-{DAY}.email.html").read_text("utf-8")
    md = (folder / f"briefing-{DAY}.md").read_text("utf-8")
    data = json.loads((folder / f"briefing-{DAY}.json").read_text("utf-8"))
    assert audit_html(html) == []
    assert audit_html(email.replace(' style="', ' data-style="')) == []  # inline styles are ours
    assert audit_markdown(md) == []
    assert audit_pdf(folder / f"briefing-{DAY}.pdf") == []
    items = [i for sec in data["sections"] for s in sec["stories"] for i in s["items"]]
    assert len(items) == len(PAYLOADS)
    text = json.dumps(data)
    for needle in ("<script", "<img", "<svg", "<link", "onerror", "\u202e"):
        assert needle not in text and needle not in md
    assert all(i["url"] is None or i["url"].startswith("https://") for i in items)
    for output in (html, email):
        assert "evil.example" not in output and "tracker.example/p.png" not in output.replace(
            "![](http://tracker.example/p.png)", ""
        )


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _images(pdf: Path) -> int:
    """Image objects in the PDF (background images sit in patterns, not page resources)."""
    reader = PdfReader(pdf)
    return sum(1 for number in range(1, int(reader.trailer["/Size"])) if _is_image(reader, number))


def _is_image(reader: PdfReader, number: int) -> bool:
    try:
        obj = reader.get_object(number)
    except Exception:
        return False
    return hasattr(obj, "get") and obj.get("/Subtype") == "/Image"


def test_pdf_reads_files_only_inside_template_directories(cli, write_config, tmp_path) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "logo.png").write_bytes(PNG)
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    css = "@page { size: A4; } body { font-family: 'DejaVu Sans'; }\n"
    (templates / "print.css").write_text(
        css + ".cover { background: url(logo.png); height: 40mm; }\n", "utf-8"
    )
    config = write_config({"templates": str(templates)})
    assert cli("build", "--config", str(config), "--date", DAY, "--format", "pdf")[0] == 0
    pdf = tmp_path / "out" / DAY / f"briefing-{DAY}.pdf"
    assert _images(pdf) >= 1  # the template author's own image is used

    (templates / "print.css").write_text(
        css + f".cover {{ background: url({outside.as_uri()}); height: 40mm; }}\n"
        ".kicker { background: url(http://127.0.0.1:9/x.png); }\n",
        "utf-8",
    )
    assert cli("build", "--config", str(config), "--date", DAY, "--format", "pdf")[0] == 0
    assert _images(pdf) == 0  # a file outside the template directories is never read
