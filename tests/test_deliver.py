"""Delivery targets against real parts: a briefing built by the real pipeline, an aiosmtpd server
on 127.0.0.1 (messages parsed back with the email package), pytest-httpserver for webhooks and a
real folder for the directory target."""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from briefing.config import load_config
from briefing.delivery import DeliveryError, Package
from briefing.delivery.directory import DirectoryTarget
from briefing.delivery.email import EmailTarget, message_id
from briefing.delivery.webhook import WebhookTarget
from briefing.pipeline import build

from conftest import ROOT, SAMPLE_DAY, free_port, repo_config

DAY = date.fromisoformat(SAMPLE_DAY)
FORMATS = ["md", "html", "json", "pdf", "email"]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """The sample day built once by the real pipeline, in every format."""
    tmp = tmp_path_factory.mktemp("built")
    data = repo_config()
    for source in data["sources"]:
        if "path" in source:
            source["path"] = str(ROOT / source["path"])
    data["output"]["dir"] = str(tmp / "out")
    cfg = tmp / "config.yaml"
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = build(load_config(cfg), DAY, FORMATS, collect_first=True)
    files = {fmt: Path(path) for fmt, path in result.files.items()}
    assert sorted(files) == sorted(FORMATS)
    return Package(DAY, result.briefing.title, files, result.briefing)


class Recorder:
    """Records accepted envelopes; can answer DATA with 451 a few times, or refuse recipients."""

    def __init__(self, tempfail: int = 0, refuse: frozenset[str] = frozenset()) -> None:
        self.envelopes: list[Any] = []
        self.tempfail = tempfail
        self.refuse = refuse
        self.data_calls = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.data_calls += 1
        if self.data_calls <= self.tempfail:
            return "451 4.3.0 try again"
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]


def serve(controllers: list[Controller], recorder: Recorder, **kwargs: Any) -> int:
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    controllers.append(controller)
    return port


@pytest.fixture
def controllers() -> Iterator[list[Controller]]:
    running: list[Controller] = []
    yield running
    for c in running:
        c.stop()


def email_target(port: int, **changes: Any) -> EmailTarget:
    config = {
        "type": "email",
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from": "Briefing <b@example.org>",
        "to": ["Alice <Alice@example.org>"],
        "cc": ["carol@example.org"],
        "bcc": ["dave@example.org"],
        "subject": "{{ title }} {{ date }}: {{ stories }} stories from {{ items }} items",
        "timeout": 5,
        "retries": 2,
        "backoff": 0.1,
    }
    config.update(changes)
    return EmailTarget.model_validate(config)


def parts(msg: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in msg.walk()}


def text(part: EmailMessage) -> str:
    """A text part as the reader sees it (the wire has CRLF line ends)."""
    return part.get_content().replace("\r\n", "\n")


# --- keys -----------------------------------------------------------------------------------


def test_keys_one_per_recipient_in_order_lower_cased_without_duplicates() -> None:
    target = email_target(25, cc=["carol@example.org", "ALICE@example.org"], bcc=["Dave@X.org"])
    assert target.ledger_keys() == ["alice@example.org", "carol@example.org", "dave@x.org"]
    assert DirectoryTarget.model_validate({"type": "directory", "path": "x"}).ledger_keys() == [
        "directory"
    ]
    assert WebhookTarget.model_validate(
        {"type": "webhook", "url": "https://x.org/"}
    ).ledger_keys() == ["webhook"]


# --- email ----------------------------------------------------------------------------------


def test_one_message_per_recipient_with_pdf_text_and_html(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder()
    target = email_target(serve(controllers, recorder))
    notes = [target.deliver(key, package, tmp_path) for key in target.ledger_keys()]
    assert notes == [
        "sent to Alice@example.org",
        "sent to carol@example.org",
        "sent to dave@example.org",
    ]
    assert [e.rcpt_tos for e in recorder.envelopes] == [
        ["Alice@example.org"],
        ["carol@example.org"],
        ["dave@example.org"],
    ]
    assert {e.mail_from for e in recorder.envelopes} == {"b@example.org"}
    messages = recorder.messages()
    b = package.briefing
    subject = f"{b.title} {SAMPLE_DAY}: {b.story_count} stories from {b.item_count} items"
    for msg, to in zip(
        messages,
        ["Alice <Alice@example.org>", "carol@example.org", "Alice <Alice@example.org>"],
        strict=True,
    ):
        assert msg["Subject"] == subject
        assert msg["From"] == "Briefing <b@example.org>"
        assert msg["To"] == to
        assert msg["Cc"] is None and msg["Bcc"] is None
        assert msg["Date"]
        found = parts(msg)
        assert text(found["text/plain"]) == package.files["md"].read_text("utf-8")
        assert text(found["text/html"]) == package.files["email"].read_text("utf-8")
        pdf = found["application/pdf"]
        assert pdf.get_filename() == f"briefing-{SAMPLE_DAY}.pdf"
        assert pdf.get_content() == package.files["pdf"].read_bytes()
    assert "dave@example.org" not in recorder.envelopes[2].content.decode("ascii", "replace")
    assert len({m["Message-ID"] for m in messages}) == 3


def test_message_id_is_stable_across_sends(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder()
    target = email_target(serve(controllers, recorder), cc=[], bcc=[])
    target.deliver("alice@example.org", package, tmp_path)
    target.deliver("alice@example.org", package, tmp_path)
    first, second = recorder.messages()
    assert first["Message-ID"] == second["Message-ID"] == message_id(package, "alice@example.org")
    digest = hashlib.sha256(f"{package.title}|{SAMPLE_DAY}|alice@example.org".encode())
    assert first["Message-ID"] == f"<briefing-{SAMPLE_DAY}-{digest.hexdigest()[:16]}@briefing>"


def test_451_then_250_gives_one_message_after_a_retry(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder(tempfail=1)
    target = email_target(serve(controllers, recorder), cc=[], bcc=[])
    started = time.monotonic()
    assert target.deliver("alice@example.org", package, tmp_path) == ("sent to Alice@example.org")
    assert time.monotonic() - started >= 0.1  # the backoff was waited
    assert recorder.data_calls == 2
    assert len(recorder.envelopes) == 1


def test_persistent_4xx_is_retried_a_bounded_number_of_times_then_retryable(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder(tempfail=99)
    target = email_target(serve(controllers, recorder), cc=[], bcc=[], retries=2, backoff=0.01)
    with pytest.raises(DeliveryError) as caught:
        target.deliver("alice@example.org", package, tmp_path)
    assert caught.value.retryable
    assert "451" in str(caught.value) and "3 attempts" in str(caught.value)
    assert recorder.data_calls == 3
    assert recorder.envelopes == []


def test_server_down_is_retryable(package: Package, tmp_path: Path) -> None:
    target = email_target(free_port(), retries=1, backoff=0.01)
    with pytest.raises(DeliveryError) as caught:
        target.deliver("alice@example.org", package, tmp_path)
    assert caught.value.retryable


def test_550_fails_that_recipient_only(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder(refuse=frozenset({"carol@example.org"}))
    target = email_target(serve(controllers, recorder))
    results: dict[str, Any] = {}
    for key in target.ledger_keys():
        try:
            results[key] = target.deliver(key, package, tmp_path)
        except DeliveryError as exc:
            results[key] = exc
    refused = results["carol@example.org"]
    assert isinstance(refused, DeliveryError) and not refused.retryable
    assert "550" in str(refused) and "carol@example.org" in str(refused)
    assert results["alice@example.org"] == "sent to Alice@example.org"
    assert results["dave@example.org"] == "sent to dave@example.org"
    assert [e.rcpt_tos for e in recorder.envelopes] == [["Alice@example.org"], ["dave@example.org"]]


def test_oversized_pdf_is_left_off_with_a_note(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder()
    target = email_target(serve(controllers, recorder), cc=[], bcc=[], max_attachment_mb=0.001)
    note = target.deliver("alice@example.org", package, tmp_path)
    assert note == "sent to Alice@example.org (PDF left off: too large)"
    (msg,) = recorder.messages()
    found = parts(msg)
    assert "application/pdf" not in found
    plain = text(found["text/plain"])
    body = text(found["text/html"])
    assert plain.startswith(package.files["md"].read_text("utf-8").rstrip("\n"))
    assert "0.001 MB attachment limit and was left off" in plain.splitlines()[-1]
    assert "0.001 MB attachment limit and was left off.</p></body>" in body.replace("\n", "")


def test_html_page_is_the_body_when_no_email_file_was_built(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder()
    target = email_target(serve(controllers, recorder), cc=[], bcc=[])
    files = {f: p for f, p in package.files.items() if f not in ("email", "pdf")}
    note = target.deliver("alice@example.org", replace(package, files=files), tmp_path)
    assert note == "sent to Alice@example.org (no PDF built)"
    found = parts(recorder.messages()[0])
    assert text(found["text/html"]) == package.files["html"].read_text("utf-8")


def test_missing_password_variable_is_permanent(
    package: Package, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRIEFING_TEST_SMTP_PASSWORD", raising=False)
    target = email_target(
        free_port(), username="briefing", password_env="BRIEFING_TEST_SMTP_PASSWORD"
    )
    with pytest.raises(DeliveryError) as caught:
        target.deliver("alice@example.org", package, tmp_path)
    assert not caught.value.retryable
    assert "BRIEFING_TEST_SMTP_PASSWORD" in str(caught.value)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_uses_the_password_from_the_environment(
    package: Package, controllers: list[Controller], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    monkeypatch.setenv("BRIEFING_TEST_SMTP_PASSWORD", "s3cret")
    recorder = Recorder()
    port = serve(
        controllers,
        recorder,
        authenticator=authenticator,
        auth_require_tls=False,
        auth_required=True,
    )
    target = email_target(
        port, cc=[], bcc=[], username="briefing", password_env="BRIEFING_TEST_SMTP_PASSWORD"
    )
    target.deliver("alice@example.org", package, tmp_path)
    assert logins == [(b"briefing", b"s3cret")]
    assert len(recorder.envelopes) == 1


def test_starttls_never_falls_back_to_plain(
    package: Package, controllers: list[Controller], tmp_path: Path
) -> None:
    recorder = Recorder()  # aiosmtpd without a TLS context does not offer STARTTLS
    target = email_target(serve(controllers, recorder), cc=[], bcc=[], security="starttls")
    with pytest.raises(DeliveryError) as caught:
        target.deliver("alice@example.org", package, tmp_path)
    assert not caught.value.retryable
    assert "STARTTLS" in str(caught.value)
    assert recorder.envelopes == []


def test_subject_template_error_is_permanent(package: Package, tmp_path: Path) -> None:
    target = email_target(free_port(), subject="{{ title }} {{ no_such_name }}")
    with pytest.raises(DeliveryError) as caught:
        target.deliver("alice@example.org", package, tmp_path)
    assert not caught.value.retryable and "no_such_name" in str(caught.value)


def test_unknown_key_is_refused(package: Package, tmp_path: Path) -> None:
    with pytest.raises(DeliveryError) as caught:
        email_target(free_port()).deliver("eve@example.org", package, tmp_path)
    assert not caught.value.retryable


# --- directory ------------------------------------------------------------------------------


def test_directory_copies_the_chosen_formats(package: Package, tmp_path: Path) -> None:
    target = DirectoryTarget.model_validate(
        {"type": "directory", "path": "share/briefings", "formats": ["pdf", "email"]}
    )
    assert target.deliver("directory", package, tmp_path) == (
        f"copied 2 files to {tmp_path / 'share/briefings'}"
    )
    folder = tmp_path / "share" / "briefings"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"briefing-{SAMPLE_DAY}.email.html",
        f"briefing-{SAMPLE_DAY}.pdf",
    ]  # no temporary files left behind
    assert (folder / f"briefing-{SAMPLE_DAY}.pdf").read_bytes() == package.files["pdf"].read_bytes()
    assert (folder / f"briefing-{SAMPLE_DAY}.email.html").read_bytes() == package.files[
        "email"
    ].read_bytes()
    # a second delivery replaces the files in place
    assert target.deliver("directory", package, tmp_path).startswith("copied 2 files")
    assert len(list(folder.iterdir())) == 2


def test_directory_absolute_path_and_missing_format(package: Package, tmp_path: Path) -> None:
    folder = tmp_path / "abs"
    target = DirectoryTarget.model_validate(
        {"type": "directory", "path": str(folder), "formats": ["md", "json"]}
    )
    files = {f: p for f, p in package.files.items() if f != "json"}
    with pytest.raises(DeliveryError) as caught:
        target.deliver("directory", replace(package, files=files), tmp_path / "elsewhere")
    assert not caught.value.retryable and "json" in str(caught.value)
    assert not folder.exists()  # nothing copied when a format is missing
    assert target.deliver("directory", package, tmp_path / "elsewhere") == (
        f"copied 2 files to {folder}"
    )


# --- webhook --------------------------------------------------------------------------------


def webhook(url: str, **changes: Any) -> WebhookTarget:
    return WebhookTarget.model_validate(
        {"type": "webhook", "url": url, "allow_private": True, "timeout": 5, **changes}
    )


def first_url(story: Any) -> str | None:
    return next((item.url for item in story.items if item.url), None)


def test_webhook_posts_json_summary_with_slack_text(
    package: Package, httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("ok")
    target = webhook(httpserver.url_for("/hook"), link="https://news.example.org/briefings/")
    assert target.deliver("webhook", package, tmp_path) == "posted to localhost (HTTP 200)"
    httpserver.check_assertions()
    ((request, _),) = httpserver.log
    assert request.headers["Content-Type"] == "application/json"
    data = json.loads(request.get_data())
    b = package.briefing
    link = f"https://news.example.org/briefings/{SAMPLE_DAY}/"
    developments = [
        {"headline": s.headline, "outlets": s.outlets, "url": s.items[0].url or first_url(s)}
        for s in b.key_developments
    ]
    assert developments and all(d["url"] for d in developments)
    assert any(s.items[0].url is None for s in b.key_developments)  # the fallback is exercised
    assert data == {
        "title": b.title,
        "date": SAMPLE_DAY,
        "text": data["text"],
        "stories": b.story_count,
        "items": b.item_count,
        "key_developments": developments,
        "link": link,
    }
    lines = data["text"].split("\n")
    assert lines[0] == f"{b.title} — {SAMPLE_DAY}"
    assert lines[-1] == link
    bullets = lines[1:-1]
    assert len(bullets) == len(developments)
    for line, d in zip(bullets, developments, strict=True):
        expected = f"• {d['headline']} ({', '.join(d['outlets'])})"
        assert line == expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_webhook_without_link(package: Package, httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("", status=204)
    webhook(httpserver.url_for("/hook")).deliver("webhook", package, tmp_path)
    data = httpserver.log[0][0].get_json()
    assert data["link"] is None
    assert data["text"].split("\n")[-1].startswith("• ")


@pytest.mark.parametrize(
    ("status", "retryable"), [(500, True), (503, True), (429, True), (404, False), (400, False)]
)
def test_webhook_status(
    package: Package, httpserver: HTTPServer, tmp_path: Path, status: int, retryable: bool
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("no", status=status)
    with pytest.raises(DeliveryError) as caught:
        webhook(httpserver.url_for("/hook")).deliver("webhook", package, tmp_path)
    assert caught.value.retryable is retryable
    assert f"HTTP {status}" in str(caught.value)
    assert len(httpserver.log) == 1  # no retry inside one delivery


def test_webhook_timeout_is_retryable(
    package: Package, httpserver: HTTPServer, tmp_path: Path
) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response("late")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(slow)
    target = webhook(httpserver.url_for("/hook"), timeout=0.3)
    started = time.monotonic()
    with pytest.raises(DeliveryError) as caught:
        target.deliver("webhook", package, tmp_path)
    assert time.monotonic() - started < 1.2
    assert caught.value.retryable


def test_webhook_private_address_refused_unless_allowed(
    package: Package, httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    target = webhook(httpserver.url_for("/hook"), allow_private=False)
    with pytest.raises(DeliveryError) as caught:
        target.deliver("webhook", package, tmp_path)
    assert not caught.value.retryable and "private" in str(caught.value)
    assert httpserver.log == []
