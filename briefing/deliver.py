"""Delivery targets: send one built briefing to one recipient key of one target.

The run ledger tracks each key (an email recipient, a directory, a webhook) on its own, so a
failure for one recipient never resends to the others. Every failure is a DeliveryError that says
whether trying again later can help (`retryable`): the ledger keeps those pending and marks the
others failed.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import httpx
import jinja2

from .config import EXTENSIONS, DirectoryTarget, EmailTarget, WebhookTarget
from .errors import WorkError
from .fetch import make_client, post_json
from .models import Briefing
from .outputs import write_all

log = logging.getLogger("briefing")

MB = 1024 * 1024
AnyTarget = EmailTarget | DirectoryTarget | WebhookTarget


@dataclass
class Package:
    """A built briefing as delivery sees it: its files by format and what they say."""

    day: date
    title: str
    files: dict[str, Path]  # format -> built file; keys among "md","html","json","pdf","email"
    briefing: Briefing


class DeliveryError(Exception):
    """A delivery that did not happen; `retryable` says whether a later attempt can succeed."""

    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


def keys(target: AnyTarget) -> list[str]:
    """What the ledger tracks separately: one key per email recipient, else the target type."""
    if isinstance(target, EmailTarget):
        return list(_recipients(target))
    if isinstance(target, DirectoryTarget | WebhookTarget):
        return [target.type]
    raise TypeError(f"not a delivery target: {target!r}")


def deliver_one(target: AnyTarget, key: str, package: Package, base_dir: Path) -> str:
    """Deliver `package` to `key` of `target`; return a short note for the ledger."""
    if key not in keys(target):
        raise DeliveryError(f"{key!r} is not a recipient of this {target.type} target", False)
    if isinstance(target, EmailTarget):
        return _send_email(target, key, package)
    if isinstance(target, DirectoryTarget):
        return _copy_to_directory(target, package, base_dir)
    return _post_webhook(target, package)


# --- email ----------------------------------------------------------------------------------


def _recipients(target: EmailTarget) -> dict[str, tuple[str, str]]:
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
    role, configured = _recipients(target)[key]
    text = _read(package, "md").decode("utf-8")
    body_format = "email" if "email" in package.files else "html"
    body = _read(package, body_format).decode("utf-8")
    pdf = _read(package, "pdf") if "pdf" in package.files else None
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
    configured = _recipients(target)[key][1]
    rcpt = parseaddr(configured)[1]
    if "@" not in sender or "@" not in rcpt:
        raise DeliveryError(f"not an email address: {target.sender!r} or {configured!r}", False)
    password = _password(target)
    for attempt in range(target.retries + 1):
        try:
            _smtp_send(target, password, msg, sender, rcpt)
        except _Temporary as exc:
            if attempt == target.retries:
                raise DeliveryError(f"{rcpt}: {exc} (after {attempt + 1} attempts)", True) from None
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
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


# --- directory ------------------------------------------------------------------------------


def _copy_to_directory(target: DirectoryTarget, package: Package, base_dir: Path) -> str:
    folder = Path(os.path.expanduser(target.path))
    folder = folder if folder.is_absolute() else base_dir / folder
    missing = [f for f in target.formats if f not in package.files]
    if missing:
        raise DeliveryError(
            f"directory {folder}: not built for {package.day}: {', '.join(missing)}", False
        )
    files = {}
    for fmt in dict.fromkeys(target.formats):
        name = f"briefing-{package.day.isoformat()}.{EXTENSIONS.get(fmt, fmt)}"
        files[folder / name] = _read(package, fmt)
    try:
        write_all(files)  # each file under a temp name in the folder, fsynced, then renamed
    except WorkError as exc:  # a share that is not mounted now may be later
        raise DeliveryError(f"directory: {exc}", True) from None
    count = len(files)
    return f"copied {count} file{'s' if count != 1 else ''} to {folder}"


def _read(package: Package, fmt: str) -> bytes:
    path = package.files.get(fmt)
    if path is None:
        raise DeliveryError(f"the {fmt} file was not built for {package.day}", False)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DeliveryError(f"cannot read {path}: {exc.strerror}", False) from None


# --- webhook --------------------------------------------------------------------------------


def webhook_payload(target: WebhookTarget, package: Package) -> dict[str, Any]:
    """The JSON summary; `text` makes it postable as-is to Slack-style incoming webhooks."""
    day = package.day.isoformat()
    link = f"{target.link.rstrip('/')}/{day}/" if target.link else None
    developments = [
        {
            "headline": story.headline,
            "outlets": story.outlets,
            # the first item's link; a clipping may have none, then the first item that has one
            "url": next((item.url for item in story.items if item.url), None),
        }
        for story in package.briefing.key_developments
    ]
    lines = [f"{_slack(package.title)} — {day}"]
    lines += [
        f"• {_slack(d['headline'])} ({_slack(', '.join(d['outlets']))})" for d in developments
    ]
    if link:
        lines.append(_slack(link))
    return {
        "title": package.title,
        "date": day,
        "text": "\n".join(lines),
        "stories": package.briefing.story_count,
        "items": package.briefing.item_count,
        "key_developments": developments,
        "link": link,
    }


def _slack(text: str) -> str:
    """Slack reads &, < and > as markup; these three must be escaped, nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _post_webhook(target: WebhookTarget, package: Package) -> str:
    payload = webhook_payload(target, package)
    host = urlsplit(target.url).hostname or target.url
    try:
        with make_client() as client:
            status = post_json(
                client,
                target.url,
                payload,
                allow_private=target.allow_private,
                deadline=target.timeout,
            )
    except httpx.TimeoutException:
        raise DeliveryError(
            f"webhook {host}: no answer within {target.timeout:g} s", True
        ) from None
    except httpx.ConnectError as exc:
        reason = str(exc) or "connection failed"
        retryable = "private or local address" not in reason  # config, not the network
        raise DeliveryError(f"webhook {host}: {reason}", retryable) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise DeliveryError(f"webhook {target.url!r}: {exc}", False) from None
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook {host}: {type(exc).__name__}: {exc}", True) from None
    if 200 <= status < 300:
        return f"posted to {host} (HTTP {status})"
    retryable = status in (408, 429) or status >= 500
    raise DeliveryError(f"webhook {host}: HTTP {status}", retryable)
