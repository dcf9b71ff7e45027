"""Messages that point at the cause: the config line of a source whose file is missing, where
to put a config file, and the line where a broken YAML construct starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_DAY, repo_config


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


@pytest.fixture
def misspelt(write_config) -> Path:
    data = repo_config()
    for source in data["sources"]:
        source["path"] = str(ROOT / source["path"]) if "path" in source else None
    index = next(i for i, s in enumerate(data["sources"]) if s["name"] == "baltic-wire")
    data["sources"][index]["path"] = "samples/baltic-wire.jsn"
    return write_config({"sources": data["sources"]})


def test_a_missing_source_file_names_its_config_line(cli, misspelt: Path) -> None:
    line = line_of(misspelt, "samples/baltic-wire.jsn")
    code, _, err = cli("check", "--config", str(misspelt))
    assert code == 2
    assert err == (
        f"error: {misspelt}:{line} sources[4].path: no file matches 'samples/baltic-wire.jsn'\n"
    )
    code, _, err = cli("build", "--config", str(misspelt), "--date", SAMPLE_DAY, "--format", "md")
    assert code == 0
    assert err == (
        "warning: source 'baltic-wire': no file matches samples/baltic-wire.jsn "
        f"({misspelt}:{line} sources[4].path)\n"
    )


def test_config_not_found_says_where_a_config_may_be(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_CONFIG", raising=False)
    code, _, err = cli("check")
    assert code == 2
    assert err == (
        "error: config file not found (looked for config.yaml); "
        "pass --config PATH or set $BRIEFING_CONFIG\n"
    )
    monkeypatch.setenv("BRIEFING_CONFIG", str(tmp_path / "desk.yaml"))
    code, _, err = cli("check")
    assert code == 2
    assert err == (
        f"error: config file not found (looked for config.yaml, $BRIEFING_CONFIG="
        f"{tmp_path / 'desk.yaml'}); pass --config PATH or point it at a file that exists\n"
    )


CONFIG = """\
title: Desk
timezone: UTC
output:
  dir: out
topic:
  require_any: [Ukraine, Kyiv]
sources:
  - name: wire
    type: feed
    path: wire.xml
sections:
  - {{id: talks, title: Talks, keywords: [talks, {broken}
  # a comment, line 13
  # a comment, line 14
  # a comment, line 15
  # a comment, line 16
  # a comment, line 17
  # a comment, line 18
  # a comment, line 19
  # a comment, line 20
  # a comment, line 21
  - id: other
    title: Other
    catch_all: true
window:
  end: "07:00"
schedule:
  at: "07:00"
  days: [mon, tue, wed, thu, fri]
classifier:
  kind: rules
"""


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("negotiat*", "in the '[' opened here: expected ',' or ']'"),  # neither is closed
        ("negotiat*]", "in the '{' opened here: expected ',' or '}'"),  # the `}` is missing
    ],
)
def test_an_unclosed_bracket_is_reported_where_it_opens(
    cli, tmp_path: Path, broken: str, message: str
) -> None:
    """PyYAML notices the missing bracket at line 22; the line to fix is 12."""
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG.format(broken=broken), "utf-8")
    code, _, err = cli("check", "--config", str(path))
    assert code == 2
    (problem,) = err.splitlines()
    assert problem.startswith(f"error: {path}:12: YAML syntax error: {message}"), problem
    assert problem.endswith("(line 22)")


def test_an_unclosed_quote_is_reported_where_it_opens(cli, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text('title: "Desk\noutput:\n  dir: out\n\nsections: []\n', "utf-8")
    code, _, err = cli("check", "--config", str(path))
    assert code == 2
    assert err == (
        f"error: {path}:1: YAML syntax error: in the quoted text that starts here: "
        "found unexpected end of stream (line 6)\n"
    )


def test_a_misplaced_line_is_reported_where_it_is(cli, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("title: Desk\noutput:\n  dir: out\n formats: [md]\n", "utf-8")
    code, _, err = cli("check", "--config", str(path))
    assert code == 2
    assert err.startswith(f"error: {path}:4: YAML syntax error: ")
