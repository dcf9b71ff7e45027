"""`briefing serve`: a real `briefing serve` process on a free port of 127.0.0.1, asked with
httpx (and with http.client for the paths httpx would clean up before sending, such as a
literal `..`): the archive, a briefing and its PDF are served with their types; no attempt
reaches the canary file beside the output folder; Ctrl-C stops it with one line."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest

from conftest import ROOT, SAMPLE_DAY, free_port, interruptible

pytestmark = pytest.mark.slow

CANARY = "CANARY-7d1f not for readers"


def start_serve(config: Path, *args: str, env: dict[str, str] | None = None) -> tuple:
    """A real `briefing serve` process; returns it and its base URL once it listens."""
    port = free_port()
    command = ["serve", "--config", str(config), "--port", str(port), *args]
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        preexec_fn=interruptible,
    )
    watchdog = threading.Timer(60, proc.kill)  # never hangs the suite
    watchdog.start()
    assert proc.stdout is not None
    line = proc.stdout.readline()
    watchdog.cancel()
    assert line.startswith("serving "), line + proc.stderr.read() if proc.stderr else line
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    return proc.returncode, out, err


@pytest.fixture
def site(cli, write_config, tmp_path: Path) -> Path:
    """Two days built (one with its PDF), a canary file beside the output folder, and links
    inside the folder that point out of it."""
    config = write_config()
    for day, formats in ((SAMPLE_DAY, "md,html,json,pdf"), ("2025-05-27", "html,json")):
        code, _, err = cli("build", "--config", str(config), "--date", day, "--format", formats)
        assert (code, err) == (0, "")
    (tmp_path / "canary.txt").write_text(CANARY, "utf-8")
    (tmp_path / "canary.html").write_text(CANARY, "utf-8")
    out = tmp_path / "out"
    (out / "leak.html").symlink_to(tmp_path / "canary.html")
    (out / SAMPLE_DAY / "leak.pdf").symlink_to(tmp_path / "canary.html")
    (out / "up").symlink_to(tmp_path, target_is_directory=True)
    return config


@pytest.fixture
def server(site: Path) -> Iterator[str]:
    proc, url = start_serve(site)
    yield url
    if proc.poll() is None:
        stop(proc)


def test_serves_the_archive_a_briefing_its_pdf_and_the_feed(server: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with httpx.Client(base_url=server) as client:
        root = client.get("/")
        assert root.status_code == 200
        assert root.headers["content-type"] == "text/html; charset=utf-8"
        assert root.content == (out / "index.html").read_bytes()
        page = client.get(f"/{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.html")
        assert page.status_code == 200 and "<h1>" in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
        pdf = client.get(f"/{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.pdf")
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"].startswith("inline")
        assert pdf.content.startswith(b"%PDF")
        assert (
            client.get(f"/{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.md")
            .headers["content-type"]
            .startswith("text/markdown")
        )
        assert client.get(f"/{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.json").json()["date"] == SAMPLE_DAY
        feed = client.get("/feed.xml")
        assert feed.headers["content-type"].startswith("application/atom+xml")
        assert feedparser.parse(feed.content).bozo == 0
        # a day's folder shows its briefing; its previous/next pages lead on
        day = client.get(f"/{SAMPLE_DAY}/")
        assert day.status_code == 302
        assert day.headers["location"] == f"/{SAMPLE_DAY}/briefing-{SAMPLE_DAY}.html"
        previous = client.get(f"/{SAMPLE_DAY}/previous.html")
        assert "../2025-05-27/briefing-2025-05-27.html" in previous.text
        assert client.head("/").status_code == 200


RAW_ATTEMPTS = [
    "/../canary.txt",
    "/../canary.html",
    "/%2e%2e/canary.txt",
    "/%2E%2E/canary.html",
    "/..%2fcanary.txt",
    "/%2e%2e%2fcanary.html",
    "/%2fcanary.html",
    "/2025-05-28/../../canary.html",
    "/2025-05-28/%2e%2e/%2e%2e/canary.html",
    "/..%5ccanary.html",
    "/%00/canary.html",
    "/%c0%ae%c0%ae/canary.html",
    "//canary.html",
    "//tmp/canary.html",
    "/leak.html",
    "/2025-05-28/leak.pdf",
    "/up/canary.html",
    "/up/canary.txt",
    "/briefing.db",
    "/.archive-cache.json",
    "/config.yaml",
]


def test_no_request_reaches_a_file_outside_the_output_folder(server: str, tmp_path: Path) -> None:
    """Every attempt is a plain 404: the canary, the store, hidden files and links that point
    out of the folder alike. Sent byte for byte (http.client does not clean paths)."""
    host, port = server.removeprefix("http://").split(":")
    absolute = [str(tmp_path / "canary.html"), f"{tmp_path}/canary.html".replace("/", "%2f")]
    for target in [*RAW_ATTEMPTS, *absolute, f"http://127.0.0.1:{port}/../canary.html"]:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", target)
        answer = conn.getresponse()
        body = answer.read().decode("utf-8", "replace")
        conn.close()
        assert answer.status == 404, target
        assert "CANARY" not in body, target
    with httpx.Client(base_url=server) as client:  # (a target starting "//" names a host)
        for target in [t for t in RAW_ATTEMPTS if not t.startswith("//")]:
            answer = client.get(target)
            assert answer.status_code == 404 and "CANARY" not in answer.text, target


def test_it_is_read_only(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        for method in ("POST", "PUT", "DELETE"):
            assert client.request(method, "/index.html").status_code == 501


def test_ctrl_c_stops_it_with_one_line(site: Path) -> None:
    proc, url = start_serve(site)
    assert httpx.get(url + "/").status_code == 200
    code, out, err = stop(proc)
    assert (code, out, err) == (0, "stopped\n", "")


def test_sigterm_stops_it_too(site: Path) -> None:
    proc, _ = start_serve(site)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
    assert (proc.returncode, out, err) == (0, "stopped\n", "")


def test_open_opens_the_archive_in_a_browser(site: Path, tmp_path: Path) -> None:
    """--open hands the archive's address to the browser $BROWSER names (here a script that
    writes it down)."""
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write(sys.argv[2])\""
    proc, url = start_serve(site, "--open", env={"BROWSER": f"{browser} {opened} %s"})
    for _ in range(100):
        if opened.exists() and opened.read_text():
            break
        threading.Event().wait(0.1)
    stop(proc)
    assert opened.read_text() == url + "/"


def test_a_port_in_use_is_one_line_and_exit_1(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "briefing", "serve", "--config", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_nothing_built_yet_is_one_line(cli, write_config, tmp_path: Path) -> None:
    config = write_config()
    code, _, err = cli("serve", "--config", str(config), "--port", "0")
    assert code == 1
    assert err == f"error: {tmp_path / 'out'}: no output folder yet (briefing build writes it)\n"
