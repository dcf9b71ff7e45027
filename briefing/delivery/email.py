"""The `email` target: one message per recipient (bcc too, each their own), the email-safe HTML
as body with the Markdown as text alternative and the PDF attached, over SMTP with a timeout,
temporary (4xx) failures retried with backoff, a permanent (5xx) refusal failing that recipient
alone.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import time
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn

from pydantic import ConfigDict, Field, field_validator

from ..text.plural import plural
from .registry import TARGET_TYPES, DeliveryError, Package, TargetConfig, read_built

if TYPE_CHECKING:  # smtplib and jinja2 load only when a briefing is sent
    import smtplib

log = logging.getLogger("briefing")

MB = 1024 * 1024


@TARGET_TYPES.register
class EmailTarget(TargetConfig):
    model_config = ConfigDict(populate_by_name=True)

    type: Literal["email"]
    """`email`: the briefing as an HTML mail with a text part and the PDF attached."""

    host: str
    """SMTP server."""

    port: int = Field(587, ge=1, le=65535)
    """SMTP port (587 with STARTTLS, 465 with SSL, 25 plain)."""

    security: Literal["starttls", "ssl", "none"] = "starttls"
    """How the connection is encrypted."""

    username: str | None = None
    """SMTP login, if the server wants one."""

    password_env: str | None = None
    """Name of the environment variable holding the SMTP password (never the password)."""

    @field_validator("password_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        # never echo the value: it may be the password itself, put in the wrong key
        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError(
                "expected the name of an environment variable (like BRIEFING_SMTP_PASSWORD), "
                "not a password: passwords never go in the config file"
            )
        return value

    sender: str = Field(alias="from")
    """The From address, e.g. `"Daily briefing <briefing@example.org>"`."""

    to: list[str] = Field(min_length=1)
    """Recipients; each gets their own message."""

    cc: list[str] = []
    """Copy recipients (each gets their own message too)."""

    bcc: list[str] = []
    """Blind copy recipients (their own message, not shown to others)."""

    subject: str = "{{ title }} — {{ date }}"
    """Subject template (Jinja: `title`, `date`, `stories`, `items`)."""

    timeout: float = Field(30, gt=0, le=600)
    """Seconds for each SMTP operation."""

    retries: int = Field(3, ge=0, le=10)
    """Retries of a temporary (4xx) failure, with backoff."""

    backoff: float = Field(2.0, ge=0, le=300)
    """Seconds before the first retry; doubles after each."""

    max_attachment_mb: float = Field(20, gt=0)
    """A PDF larger than this is left off, with a note in the body."""

    def ledger_id(self) -> str:
        return f"email:{self.host}:{self.port}"

    def ledger_keys(self) -> list[str]:
        return list(recipients(self))

    def needs_formats(self) -> list[str]:
        return ["md", "email", "pdf"]

    def send(self, key: str, package: Package, base_dir: Path) -> str:
        return _send_email(self, key, package)


def recipients(target: EmailTarget) -> dict[str, tuple[str, str]]:
    """key (lower-cased address) -> (role, the address as configured), first mention wins."""
    out: dict[str, tuple[str, str]] = {}
    for role, addresses in (("to", target.to), ("cc", target.cc), ("bcc", target.bcc)):
        for configured in addresses:
            address = parseaddr(configured)[1] or configured.strip()
            out.setdefault(address.lower(), (role, configured))
    return out


def message_id(package: Package, key: str) -> str:
    """The same id for every send of one briefing to one recipient, so duplicates can be
    recognised and dropped by mail systems."""
    day = package.day.isoformat()
    digest = hashlib.sha256(f"{package.title}|{day}|{key}".encode()).hexdigest()[:16]
    return f"<briefing-{day}-{digest}@briefing>"


def render_subject(target: EmailTarget, package: Package) -> str:
    """The subject from the target's template; one line whatever the template produces."""
    import jinja2  # (here: loading a config that names an email target need not load it)

    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    context = {
        "title": package.title,
        "date": package.day.isoformat(),
        "stories": package.briefing.story_count,
        "items": package.briefing.item_count,
    }
    try:
        subject = env.from_string(target.subject).render(context)
    except jinja2.TemplateError as exc:
        raise DeliveryError(f"email subject template: {exc}", False) from None
    return " ".join(subject.split())


def build_message(target: EmailTarget, key: str, package: Package) -> EmailMessage:
    """One recipient's own message: Markdown text, HTML alternative, the PDF unless too big."""
    role, configured = recipients(target)[key]
    text = read_built(package, "md").decode("utf-8")
    body_format = "email" if "email" in package.files else "html"
    body = read_built(package, body_format).decode("utf-8")
    pdf = read_built(package, "pdf") if "pdf" in package.files else None
    if pdf is not None and len(pdf) > target.max_attachment_mb * MB:
        note = (
            f"The PDF ({len(pdf) / MB:.1f} MB) is larger than the {target.max_attachment_mb:g} MB "
            "attachment limit and was left off."
        )
        text = text.rstrip("\n") + "\n\n" + note + "\n"
        body = _append_html(body, note)
        pdf = None
    msg = EmailMessage()
    try:
        msg["Subject"] = render_subject(target, package)
        msg["From"] = target.sender
        # bcc recipients see the first `to` address, never their own: they were not addressed
        msg["To"] = target.to[0] if role == "bcc" else configured
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = message_id(package, key)
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    except ValueError as exc:  # a line break or similar in a configured address
        raise DeliveryError(f"email header: {exc}", False) from None
    # quoted-printable keeps the body 7-bit with short lines, which every server accepts
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(body, subtype="html", cte="quoted-printable")
    if pdf is not None:
        name = f"briefing-{package.day.isoformat()}.pdf"
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    return msg


def _append_html(body: str, note: str) -> str:
    paragraph = (
        '<p style="font-family:Arial,sans-serif;font-size:14px;color:#555555;margin:16px;">'
        f"{html.escape(note)}</p>"
    )
    ends = [m.start() for m in re.finditer(r"(?i)</body\s*>", body)]
    return body[: ends[-1]] + paragraph + body[ends[-1] :] if ends else body + paragraph


def _send_email(target: EmailTarget, key: str, package: Package) -> str:
    msg = build_message(target, key, package)
    sender = parseaddr(target.sender)[1]
    configured = recipients(target)[key][1]
    rcpt = parseaddr(configured)[1]
    if "@" not in sender or "@" not in rcpt:
        raise DeliveryError(f"not an email address: {target.sender!r} or {configured!r}", False)
    password = _password(target)
    for attempt in range(target.retries + 1):
        try:
            _smtp_send(target, password, msg, sender, rcpt)
        except _Temporary as exc:
            if attempt == target.retries:
                tries = plural(attempt + 1, "attempt")
                raise DeliveryError(f"{rcpt}: {exc} (after {tries})", True) from None
            wait = target.backoff * 2**attempt
            log.warning("email to %s: %s; retrying in %g s", rcpt, exc, wait)
            time.sleep(wait)
        else:
            return f"sent to {rcpt}" + _pdf_note(msg, package)
    raise AssertionError("unreachable")


def _pdf_note(msg: EmailMessage, package: Package) -> str:
    if "pdf" not in package.files:
        return " (no PDF built)"
    if not any(part.get_content_type() == "application/pdf" for part in msg.walk()):
        return " (PDF left off: too large)"
    return ""


def _password(target: EmailTarget) -> str | None:
    if not target.username:
        return None
    if not target.password_env:
        raise DeliveryError("email: username is set but password_env is not", False)
    password = os.environ.get(target.password_env)
    if password is None:
        raise DeliveryError(
            f"email: environment variable {target.password_env} (password_env) is not set", False
        )
    return password


class _Temporary(Exception):
    """A failure worth another attempt: 4xx, a dropped connection, a timeout."""


def _smtp_send(
    target: EmailTarget, password: str | None, msg: EmailMessage, sender: str, rcpt: str
) -> None:
    """One attempt; raise _Temporary or DeliveryError(retryable=False)."""
    import smtplib
    import ssl

    where = f"{target.host}:{target.port}"
    smtp: smtplib.SMTP | None = None
    try:
        context = ssl.create_default_context()
        if target.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                target.host, target.port, timeout=target.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
        if target.security == "starttls":
            smtp.starttls(context=context)  # raises when not offered: never fall back to plain
        if target.username and password is not None:
            smtp.login(target.username, password)
        smtp.send_message(msg, sender, [rcpt])
        _quit(smtp)
        smtp = None
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()), (550, b"refused"))
        _fail(code, reply, f"{where} refused {rcpt}")
    except smtplib.SMTPResponseException as exc:
        _fail(exc.smtp_code, exc.smtp_error, where)
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"{where}: {exc} (security: {target.security})", False) from None
    except smtplib.SMTPServerDisconnected as exc:
        raise _Temporary(f"{where} disconnected: {exc}") from None
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(
            f"{where}: certificate not trusted: {exc.verify_message}", False
        ) from None
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"{where}: {exc}", False) from None
    except OSError as exc:  # refused, unreachable, timed out, TLS dropped
        raise _Temporary(f"{where}: {exc.strerror or exc or type(exc).__name__}") from None
    finally:
        if smtp is not None:  # a failed attempt: no QUIT that could hang on a broken link
            smtp.close()


def _fail(code: int, reply: bytes | str, where: str) -> NoReturn:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    message = f"{where}: {code} {' '.join(text.split())}"
    if 400 <= code < 500:
        raise _Temporary(message)
    raise DeliveryError(message, False)


def _quit(smtp: smtplib.SMTP) -> None:
    """Close politely; a failing QUIT after the message was accepted is not a failed send."""
    import smtplib

    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
