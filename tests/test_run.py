"""`briefing run`: collect, build and deliver once per window, across failures, kills and
concurrent runs — against a real SMTP server (aiosmtpd) on 127.0.0.1, with the run ledger in a
real SQLite file and (with BRIEFING_TEST_PG_URL) a real PostgreSQL database."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from conftest import Recorder, free_port, start_briefing

pytestmark = pytest.mark.slow  # real processes, servers, PDF layouts or fuzzing

NOW = "1748505600"  # 2025-05-29 08:00 UTC: the window that closed last is 2025-05-28
DAY = "2025-05-28"
RECIPIENTS = ["desk@news.example", "editor@news.example"]


def config_for(write_config, port: int, database: str | None = None) -> Path:
    return write_config(
        {
            "database": database,
            "delivery": [
                {
                    "type": "email",
                    "host": "127.0.0.1",
                    "port": port,
                    "security": "none",
                    "from": "Briefing <briefing@news.example>",
                    "to": RECIPIENTS,
                    "backoff": 0.1,
                    "retries": 1,
                    "timeout": 5,
                }
            ],
        }
    )


def test_run_sends_one_message_per_recipient_and_a_second_run_sends_nothing(
    cli, write_config, smtp, monkeypatch, store_url
) -> None:
    port, recorder = smtp
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    config = config_for(write_config, port, store_url)
    code, out, err = cli("run", "--config", str(config))
    assert (code, err) == (0, "")
    assert f"built {DAY}" in out
    assert sorted(m["To"] for m in recorder.messages) == RECIPIENTS
    for message in recorder.messages:
        kinds = {part.get_content_type() for part in message.walk()}
        assert {"text/plain", "text/html", "application/pdf"} <= kinds
        (pdf,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
        assert pdf.get_filename() == f"briefing-{DAY}.pdf"
    code, out, _ = cli("run", "--config", str(config))
    assert code == 0 and "nothing to do" in out
    assert len(recorder.messages) == len(RECIPIENTS)


def test_server_down_leaves_the_delivery_pending_and_the_next_run_sends_once(
    cli, write_config, monkeypatch, store_url
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    port = free_port()
    config = config_for(write_config, port, store_url)
    code, _, err = cli("run", "--config", str(config))
    assert code == 1
    assert "delivery failed" in err and "will retry" in err
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        code, _, err = cli("run", "--config", str(config))
        assert (code, err) == (0, "")
        assert len(recorder.messages) == len(RECIPIENTS)
        assert cli("run", "--config", str(config))[0] == 0
        assert len(recorder.messages) == len(RECIPIENTS)
    finally:
        controller.stop()


def _run(config: Path) -> subprocess.Popen:
    return start_briefing("run", "--config", str(config), epoch=NOW)


def test_a_run_killed_mid_build_leaves_no_partial_file_and_the_next_sends_once(
    write_config, smtp, tmp_path: Path
) -> None:
    port, recorder = smtp
    config = config_for(write_config, port)
    process = _run(config)
    deadline = time.monotonic() + 60
    folder = tmp_path / "out" / DAY
    while time.monotonic() < deadline and not (folder.exists() and any(folder.iterdir())):
        time.sleep(0.01)  # kill as soon as the build starts writing
    process.send_signal(signal.SIGKILL)
    process.wait()
    for path in folder.glob("briefing-*"):
        if path.suffix == ".pdf":
            assert len(PdfReader(path).pages) >= 1  # a file under its final name is whole
    again = _run(config)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert not list(folder.glob(".briefing-*.tmp"))
    assert len(recorder.messages) == len(RECIPIENTS)


def test_two_concurrent_runs_send_one_message_per_recipient(write_config, smtp, store_url) -> None:
    port, recorder = smtp
    config = config_for(write_config, port, store_url)
    first, second = _run(config), _run(config)
    results = [p.communicate(timeout=180) for p in (first, second)]
    codes = sorted(p.returncode for p in (first, second))
    assert codes in ([0, 0], [0, 75]), results
    if codes == [0, 75]:
        assert any("another run holds the lock" in err for _, err in results)
    assert len(recorder.messages) == len(RECIPIENTS)


def test_deliver_force_sends_again(cli, write_config, smtp, monkeypatch) -> None:
    port, recorder = smtp
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    config = config_for(write_config, port)
    assert cli("deliver", "--config", str(config), "--date", DAY)[0] == 0
    assert len(recorder.messages) == len(RECIPIENTS)
    assert cli("deliver", "--config", str(config), "--date", DAY)[0] == 0
    assert len(recorder.messages) == len(RECIPIENTS)
    assert cli("deliver", "--config", str(config), "--date", DAY, "--force")[0] == 0
    assert len(recorder.messages) == 2 * len(RECIPIENTS)
    ids = [m["Message-ID"] for m in recorder.messages]
    assert ids[:2] == ids[2:] or sorted(ids[:2]) == sorted(ids[2:])  # stable per recipient
