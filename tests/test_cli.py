"""The command line: exit statuses 0/1/2 and one-line errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_DAY


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-13-01", "'2025-13-01' is not a valid calendar date"),
        ("../x", "'../x' is not a date in the form YYYY-MM-DD"),
        ("2025-5-28", "'2025-5-28' is not a date in the form YYYY-MM-DD"),
        ("1066-10-14", "'1066-10-14' is outside the years 1990-2100"),
    ],
)
def test_bad_dates_exit_2_with_one_line(cli, write_config, value: str, message: str) -> None:
    code, out, err = cli("build", "--config", str(write_config()), "--date", value)
    assert code == 2
    assert err.strip().splitlines() == [f"error: Invalid value for '--date': {message}"]
    assert out == ""


def test_bad_format_exits_2(cli, write_config) -> None:
    code, _, err = cli("build", "--config", str(write_config()), "--format", "md,docx")
    assert code == 2
    assert err.strip().splitlines() == [
        "error: Invalid value for '--format': unknown format 'docx' (choose from md, html, "
        "json, pdf, email)"
    ]


def test_missing_config_exits_2(cli, tmp_path: Path) -> None:
    code, _, err = cli("build", "--config", str(tmp_path / "nope.yaml"), "--date", SAMPLE_DAY)
    assert code == 2
    assert err.strip().splitlines() == [
        f"error: config file not found (looked for {tmp_path / 'nope.yaml'}); pass --config PATH"
    ]


def test_bad_config_exits_2_naming_file_line_and_key(cli, write_config) -> None:
    path = write_config(text="title: x\nsources: 3\nsections: []\n")
    code, _, err = cli("check", "--config", str(path))
    assert code == 2
    assert err.strip().splitlines() == [
        f"error: {path}:2 sources: expected a list, got '3'",
        f"error: {path}:3 sections: must not be empty",
    ]


def test_check_accepts_the_shipped_config(cli) -> None:
    root = Path(__file__).resolve().parent.parent
    code, out, err = cli("check", "--config", str(root / "config.yaml"))
    assert (code, err) == (0, "")
    assert "OK (" in out


def test_check_reports_broken_template_override(cli, write_config, tmp_path: Path) -> None:
    overrides = tmp_path / "tpl"
    overrides.mkdir()
    (overrides / "briefing.md.j2").write_text("# {{ b.title }\n", encoding="utf-8")
    code, _, err = cli("check", "--config", str(write_config({"templates": str(overrides)})))
    assert code == 2
    assert "briefing.md.j2:1: template syntax error" in err


def test_unknown_command_and_version(cli) -> None:
    assert cli("frobnicate")[0] == 2
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("briefing, version ")


def test_unwritable_output_fails_with_one_line_and_status_1(cli, write_config, tmp_path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    path = write_config(
        {"output": {"dir": str(blocker / "out")}, "database": f"sqlite:///{tmp_path / 'b.db'}"}
    )
    code, _, err = cli("build", "--config", str(path), "--date", SAMPLE_DAY, "--format", "md")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and "internal error" not in err and str(blocker) in err


def test_a_build_from_stored_items_loads_no_document_parser(cli, write_config) -> None:
    path = str(write_config())
    assert cli("collect", "--config", path)[0] == 0
    code = (
        "import sys; from briefing.cli import main\n"
        f"main(['build', '--config', {path!r}, '--date', {SAMPLE_DAY!r}, '--no-collect',"
        " '--format', 'md,html,json'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'feedparser', 'lxml', 'trafilatura', 'httpx', 'weasyprint'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "16 stories" in done.stdout and done.stdout.strip().endswith("[]")


def test_help_is_fast_and_does_not_import_weasyprint() -> None:
    code = (
        "import sys; from briefing.cli import main\n"
        "try:\n    main(['--help'])\nfinally:\n"
        "    print('LOADED' if 'weasyprint' in sys.modules or 'feedparser' in sys.modules "
        "else 'LEAN')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "build" in result.stdout and result.stdout.strip().endswith("LEAN")
    for command in ("build", "collect", "check"):
        out = subprocess.run(
            [sys.executable, "-m", "briefing", command, "--help"], capture_output=True, text=True
        )
        assert out.returncode == 0 and "--config" in out.stdout
