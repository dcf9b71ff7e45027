"""Hostile items through every output format, and the PDF fetcher's boundaries."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from html import escape
from pathlib import Path

import pytest
from pypdf import PdfReader

from hostile.invariants import audit_html, audit_markdown, audit_pdf

pytestmark = pytest.mark.slow  # real processes, servers, PDF layouts or fuzzing

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


# -- the hostile-input suite's render cases ------------------------------------------------------

LEAKS = [
    '<img src="{canary}/img.png"> Kyiv talks',
    '<link rel="stylesheet" href="{canary}/s.css"> Kyiv talks',
    "</style><style>@import url({canary}/imp.css); body{background:url({canary}/bg.png)}</style>",
    '<svg><image href="{canary}/svg.png"/></svg> Istanbul',
    '<object data="{canary}/o"></object><video poster="{canary}/p.png"></video> Ukraine',
    "![x]({canary}/md.png) Kyiv",
    '<a href="{canary}/link">a link is written, never fetched</a>',
    "Kyiv \u202egnp.exe\u202c \u2066isolate\u2069 \u200bzero\u200d width\ufeff",
    "# Heading injection\n| a | b |\n|---|---|\n<!-- comment --> [x]: javascript:alert(1)",
    "<https://autolink.example> <javascript:alert(1)> <vbscript:x>",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E; &amp;lt;script&amp;gt;x &amp;amp;lt;script",
]


def test_no_output_contacts_an_address_or_holds_active_content(
    run, make_config, tmp_path: Path, canary
) -> None:
    """Every kind of resource reference in titles and texts, every format, the PDF included:
    the canary server (an address the config did not name) sees no request, and no output holds
    active content."""
    from .conftest import entry, rss
    from .invariants import check

    base = canary.url_for("").rstrip("/")
    payloads = [p.replace("{canary}", base) for p in LEAKS]
    feed = tmp_path / "leaky.xml"
    feed.write_bytes(
        rss([entry(n, title=p, description=p + " " + p) for n, p in enumerate(payloads)])
    )
    config = make_config(
        [{"name": "leaky", "type": "feed", "path": str(feed)}],
        output={"dir": str(tmp_path / "out"), "formats": ["md", "html", "json", "pdf", "email"]},
    )
    result = run("build", "--config", config, "--date", DAY)
    check(result, 0, out_dir=tmp_path / "out")
    assert canary.log == []
    text = "".join(p.read_text("utf-8", "replace") for p in (tmp_path / "out").rglob("*.md"))
    assert "\u202e" not in text and "\u200b" not in text and "\ufeff" not in text


def test_unbreakable_text_does_not_explode_the_pdf(run, make_config, tmp_path: Path) -> None:
    """500-character words in 40 titles and texts (no break opportunity): the PDF is laid out,
    within its limit, with a sane number of pages."""
    from .conftest import entry, rss
    from .invariants import check

    word = "Z" * 499
    feed = tmp_path / "wide.xml"
    feed.write_bytes(
        rss([entry(n, title=f"{n} {word}", description=(word + " ") * 20) for n in range(40)])
    )
    config = make_config(
        [{"name": "wide", "type": "feed", "path": str(feed)}],
        output={"dir": str(tmp_path / "out"), "formats": ["pdf"]},
        limits={"pdf_timeout": 60},
    )
    check(run("build", "--config", config, "--date", DAY), 0, out_dir=tmp_path / "out")
    pages = len(PdfReader(tmp_path / "out" / DAY / f"briefing-{DAY}.pdf").pages)
    assert 1 <= pages < 80


RUNAWAY = (
    '{% extends "default:briefing.html.j2" %}{% block footer %}'
    "{% for i in range(60000) %}<p>line {{ i }}</p>{% endfor %}{% endblock %}"
)
NESTED = (
    '{% extends "default:briefing.html.j2" %}{% block footer %}'
    '{{ "<div>" * 3000 }}deep{{ "</div>" * 3000 }}{% endblock %}'
)


def _override(tmp_path: Path, template: str) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "briefing.html.j2").write_text(template, "utf-8")
    return folder


def test_runaway_pdf_layout_is_cut_and_the_other_formats_written(
    run, make_config, tmp_path: Path
) -> None:
    """A layout that would take minutes, with limits.pdf_timeout: 2: the build stops it after
    two seconds, says which PDF and which limit in one line, writes md/html/json, keeps the PDF of
    the previous build, and exits 1."""
    from .conftest import entry, rss
    from .invariants import check, snapshot

    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(n) for n in range(3)]))
    out = tmp_path / "out"
    formats = {"dir": str(out), "formats": ["md", "html", "json", "pdf"]}
    sources = [{"name": "wire", "type": "feed", "path": str(feed)}]
    config = make_config(sources, output=formats)
    check(run("build", "--config", config, "--date", DAY), 0, out_dir=out)
    pdf = out / DAY / f"briefing-{DAY}.pdf"
    before = {pdf: snapshot(out)[pdf]}

    templates = _override(tmp_path, RUNAWAY)
    config = make_config(
        sources, output=formats, limits={"pdf_timeout": 2}, templates=str(templates)
    )
    started = time.monotonic()
    result = run("build", "--config", config, "--date", DAY, "--no-collect")
    assert time.monotonic() - started < 15
    check(
        result,
        1,
        culprit=f"{pdf} not written: the layout took longer than 2 s (limits.pdf_timeout)",
        out_dir=out,
        before=before,
    )
    assert len(result.err.strip().splitlines()) == 1
    assert "the other formats were written" in result.err
    html = (out / DAY / f"briefing-{DAY}.html").read_text("utf-8")
    assert "line 59999" in html  # the new HTML was written beside the kept PDF


def test_a_pdf_layout_explosion_keeps_the_other_formats(run, make_config, tmp_path: Path) -> None:
    """3,000 nested <div>s under the print stylesheet make WeasyPrint recurse too deeply or
    crawl: either way one line naming the PDF, exit 1, md/html/json written."""
    from .conftest import entry, rss
    from .invariants import check

    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([entry(1)]))
    out = tmp_path / "out"
    config = make_config(
        [{"name": "wire", "type": "feed", "path": str(feed)}],
        output={"dir": str(out), "formats": ["md", "html", "json", "pdf"]},
        templates=str(_override(tmp_path, NESTED)),
        limits={"pdf_timeout": 3},
    )
    result = run("build", "--config", config, "--date", DAY)
    check(result, 1, culprit=f"briefing-{DAY}.pdf not written: ", out_dir=out)
    assert "nested too deeply" in result.err or "limits.pdf_timeout" in result.err
    assert sorted(p.suffix for p in (out / DAY).glob("briefing-*")) == [".html", ".json", ".md"]


def test_pdf_time_limit_holds_with_and_without_other_threads(tmp_path: Path) -> None:
    """The child is forked when no other thread runs and comes from a fork server otherwise
    (the scheduler's cycles run in threads); both are stopped at the limit, both render."""
    script = (
        "import sys, threading, time\n"
        "from briefing.render.pdf import render_pdf_within, PdfTimeout\n"
        "from briefing.render import default_templates_dir\n"
        "roots = [default_templates_dir()]\n"
        "def attempt():\n"
        "    assert render_pdf_within('<p>ok</p>', '', roots, 30).startswith(b'%PDF')\n"
        "    started = time.monotonic()\n"
        "    try:\n"
        "        render_pdf_within('<p>x</p>' * 200000, '', roots, 1)\n"
        "    except PdfTimeout:\n"
        "        assert time.monotonic() - started < 5\n"
        "    else:\n"
        "        raise SystemExit('not cut')\n"
        "attempt()\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait, daemon=True).start()\n"
        "attempt()\n"
        "stop.set()\n"
        "print('both')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "both"
