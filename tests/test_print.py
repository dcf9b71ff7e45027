"""Print details: no word (a name least of all) split by hyphenation in the PDF, the section
tags under a story read "also in: …" in every format, and one date style, "5 Dec", throughout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SAMPLE_DAY


@pytest.fixture
def built(cli, write_config, tmp_path: Path) -> Path:
    config = write_config()
    args = ("--config", str(config), "--format", "md,html,email,pdf")
    assert cli("build", *args, "--date", "2025-05-27")[0] == 0
    assert cli("build", *args, "--date", SAMPLE_DAY, "--no-collect")[0] == 0
    return tmp_path / "out" / SAMPLE_DAY


@pytest.mark.slow
def test_the_pdf_splits_no_word(built: Path) -> None:
    text = "\n".join(
        p.extract_text() for p in PdfReader(built / f"briefing-{SAMPLE_DAY}.pdf").pages
    )
    assert "\u2010" not in text  # the hyphen WeasyPrint adds where it splits a word
    assert "Graham" in text


@pytest.mark.slow
def test_tags_read_also_in_and_dates_have_one_style(built: Path) -> None:
    for ext in ("md", "html", "email.html"):
        text = (built / f"briefing-{SAMPLE_DAY}.{ext}").read_text("utf-8")
        assert re.search(r"also in:\W+(<[^>]+>\s*)*[A-Z][a-z]+", text), ext
        assert re.search(r"Generated [1-9]\d? [A-Z][a-z]{2} 20\d\d \d\d:\d\d ", text), ext
        assert not re.search(r"\b0[1-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", text)
        assert not re.search(r"first reported 20\d\d-", text), ext


def test_a_storys_time_line_separates_its_parts_in_every_format(built: Path) -> None:
    """ "13:20 · updated 18:40", never "13:20updated 18:40" (HTML and PDF once ran them on)."""
    pdf = " ".join(p.extract_text() for p in PdfReader(built / f"briefing-{SAMPLE_DAY}.pdf").pages)
    for ext in ("md", "html", "email.html"):
        text = re.sub(r"<[^>]+>|_", "", (built / f"briefing-{SAMPLE_DAY}.{ext}").read_text("utf-8"))
        assert re.search(r"\b\d\d:\d\d · updated \d\d:\d\d\b", text), ext
        assert not re.search(r"\d\dupdated", text), ext
    assert re.search(r"\d\d:\d\d · updated \d\d:\d\d", pdf)


def test_a_single_digit_day_has_no_leading_zero(cli, write_config, tmp_path: Path) -> None:
    config = write_config()
    args = ("build", "--config", str(config), "--date", "2025-06-01", "--no-collect")
    assert cli(*args, "--format", "md")[0] == 0
    md = (tmp_path / "out" / "2025-06-01" / "briefing-2025-06-01.md").read_text("utf-8")
    assert "**Sunday 1 June 2025** · 1 Jun 00:00 – 2 Jun 00:00 (Europe/Kyiv)" in md
