"""Delivery and scheduling faults end to end (`briefing collect`, then `briefing deliver`):
mail servers that are down, hang or refuse, header injection through the title, webhooks at
internal addresses or hanging, a directory that cannot be written, a missing password, a PDF
cut by its time limit. Each: one line per failure naming the target, exit 1, the built
briefing kept, and a later run sending what is pending exactly once. tests/test_deliver.py and
tests/test_run.py keep the unit and scheduling tests (lock held: exit 75, kills, retries)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from .conftest import DAY, entry, rss
from .invariants import check, snapshot
from conftest import free_port

pytestmark = pytest.mark.slow  # real processes, servers, PDF layouts or fuzzing

FROM = "Briefing <briefing@news.example>"


class Recorder:
    def __init__(self, refuse: str = "") -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], Any]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address == self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp():
    recorder = Recorder(refuse="gone@news.example")
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, recorder
    controller.stop()


def _email(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "email",
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from": FROM,
        "to": ["desk@news.example"],
        "retries": 0,
        "backoff": 0.1,
        "timeout": 2,
        **extra,
    }


@pytest.fixture
def deliver(run, make_config, tmp_path: Path):
    """Collect a small feed, then `briefing deliver --date DAY` to `targets`."""

    def go(targets: list[dict[str, Any]], **extra: Any):
        feed = tmp_path / "feed.xml"
        feed.write_bytes(rss([entry(n) for n in range(3)]))
        sources = [{"name": "wire", "type": "feed", "path": str(feed)}]
        config = make_config(sources, delivery=targets, **extra)
        check(run("collect", "--config", config), 0)
        return config, run("deliver", "--config", config, "--date", DAY)

    return go


def test_mail_server_down_then_up_sends_once(deliver, run, smtp, tmp_path: Path) -> None:
    """Port closed: exit 1, "delivery failed: ... (will retry)", the briefing built and kept;
    the next delivery with the server up sends one message."""
    controller, recorder = smtp
    config, result = deliver([_email(free_port())])
    check(result, 1, culprit="(will retry)", out_dir=tmp_path / "out")
    before = snapshot(tmp_path / "out" / DAY)
    assert before  # built, even though nothing was sent
    config.write_text(config.read_text().replace(str(_port_of(config)), str(controller.port)))
    check(run("deliver", "--config", config, "--date", DAY), 0, before=before, unchanged=True)
    check(run("deliver", "--config", config, "--date", DAY), 0)
    assert len(recorder.messages) == 1


def _port_of(config: Path) -> int:
    import yaml

    return yaml.safe_load(config.read_text())["delivery"][0]["port"]


def test_mail_server_that_never_answers_is_cut_at_the_timeout(deliver, tmp_path: Path) -> None:
    """A server that accepts the connection and says nothing: cut at `timeout` (1 s)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    try:
        started = time.monotonic()
        _, result = deliver([_email(listener.getsockname()[1], timeout=1)])
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    check(result, 1, culprit="desk@news.example", out_dir=tmp_path / "out")
    assert elapsed < 15


def test_a_refused_recipient_fails_alone(deliver, smtp, tmp_path: Path) -> None:
    controller, recorder = smtp
    target = _email(controller.port, to=["desk@news.example", "gone@news.example"])
    _, result = deliver([target])
    check(result, 1, culprit="gone@news.example", out_dir=tmp_path / "out")
    assert [rcpts for rcpts, _ in recorder.messages] == [["desk@news.example"]]


def test_header_injection_through_the_title_adds_no_recipient(deliver, smtp) -> None:
    """A title with CR/LF and a Bcc line: the subject stays one line, the only recipient is the
    configured one, and no Bcc header appears."""
    controller, recorder = smtp
    _, result = deliver(
        [_email(controller.port)], title="Brief\r\nBcc: evil@attacker.example\r\nX-Evil: 1"
    )
    check(result, 0)
    ((rcpts, message),) = recorder.messages
    assert rcpts == ["desk@news.example"]
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert "\n" not in message["Subject"]


def test_webhook_at_an_internal_address_is_refused_without_contacting_it(
    deliver, canary: HTTPServer, tmp_path: Path
) -> None:
    """A webhook URL on 127.0.0.1 without allow_private: refused, and the address (the canary)
    sees no request."""
    _, result = deliver([{"type": "webhook", "url": canary.url_for("/hook")}])
    check(result, 1, culprit="private or local address", out_dir=tmp_path / "out")
    assert canary.log == []


def test_hanging_and_failing_webhooks(deliver, httpserver: HTTPServer, tmp_path: Path) -> None:
    """A webhook that hangs is cut at its timeout; one that answers 500 stays pending."""
    release = threading.Event()

    def hang(request):
        release.wait(1.5)  # the test server is single-threaded: do not hold it long
        from werkzeug import Response

        return Response("late")

    httpserver.expect_request("/hang").respond_with_handler(hang)
    httpserver.expect_request("/fail").respond_with_data("no", status=500)
    targets = [
        {
            "type": "webhook",
            "url": httpserver.url_for("/hang"),
            "allow_private": True,
            "timeout": 1,
        },
        {"type": "webhook", "url": httpserver.url_for("/fail"), "allow_private": True},
    ]
    started = time.monotonic()
    _, result = deliver(targets)
    release.set()
    check(result, 1, culprit="delivery failed", out_dir=tmp_path / "out")
    assert httpserver.url_for("/hang") in result.err and httpserver.url_for("/fail") in result.err
    assert time.monotonic() - started < 15


def test_directory_target_below_a_file(deliver, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    target = {"type": "directory", "path": str(tmp_path / "a-file" / "share"), "formats": ["md"]}
    _, result = deliver([target], output={"dir": str(tmp_path / "out"), "formats": ["md"]})
    check(result, 1, culprit="a-file", out_dir=tmp_path / "out")
    assert (tmp_path / "a-file").read_text() == "x"


def test_missing_password_variable(deliver, smtp, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("HOSTILE_SMTP_PASSWORD", raising=False)
    controller, recorder = smtp
    target = _email(controller.port, username="desk", password_env="HOSTILE_SMTP_PASSWORD")
    _, result = deliver([target])
    check(result, 1, culprit="HOSTILE_SMTP_PASSWORD (password_env) is not set")
    assert recorder.messages == []


def test_pdf_cut_by_its_limit_is_delivered_without_it(deliver, smtp, tmp_path: Path) -> None:
    """A runaway PDF layout during a delivery: the mail goes out without the attachment (the
    briefing is not lost), the PDF and its limit are named, exit 1."""
    controller, recorder = smtp
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "briefing.html.j2").write_text(
        '{% extends "default:briefing.html.j2" %}{% block footer %}'
        "{% for i in range(60000) %}<p>line {{ i }}</p>{% endfor %}{% endblock %}"
    )
    _, result = deliver([_email(controller.port)], templates=str(folder), limits={"pdf_timeout": 2})
    check(result, 1, culprit="limits.pdf_timeout", out_dir=tmp_path / "out")
    ((_, message),) = recorder.messages
    assert not any(p.get_content_type() == "application/pdf" for p in message.walk())


def test_a_second_concurrent_run_exits_75_and_changes_nothing(deliver, run, tmp_path: Path) -> None:
    """Another run holds the lock (a scheduled cycle still working): `briefing run` and
    `briefing deliver` exit 75 with one line naming the lock, and nothing is built or lost."""
    from filelock import FileLock

    target = {"type": "directory", "path": str(tmp_path / "share"), "formats": ["md"]}
    config, result = deliver([target])
    check(result, 0, out_dir=tmp_path / "out")
    before = snapshot(tmp_path / "out")
    with FileLock(str(tmp_path / "out" / ".briefing.lock")):
        for args in (["run"], ["deliver", "--date", DAY, "--force"]):
            result = run(*args, "--config", config)
            check(result, 75, culprit="another run holds the lock", before=before, unchanged=True)
