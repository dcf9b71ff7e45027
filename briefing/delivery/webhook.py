"""The `webhook` target: a JSON summary (title, date, key developments, link) POSTed under the
same address checks and deadline as every fetch, with a Slack-compatible `text`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field

from .registry import TARGET_TYPES, DeliveryError, Package, TargetConfig


@TARGET_TYPES.register
class WebhookTarget(TargetConfig):
    type: Literal["webhook"]
    """`webhook`: POST a JSON summary (Slack-compatible `text` included)."""

    url: str
    """Where to POST."""

    link: str | None = None
    """Base URL where briefings are published; the summary links to `<link>/<date>/`."""

    allow_private: bool = False
    """Allow `url` to be a loopback, private or link-local address."""

    timeout: float = Field(10, gt=0, le=600)
    """Seconds for the whole request."""

    def ledger_id(self) -> str:
        return f"webhook:{self.url}"

    def send(self, key: str, package: Package, base_dir: Path) -> str:
        return _post_webhook(self, package)


def webhook_payload(target: WebhookTarget, package: Package) -> dict[str, Any]:
    """The JSON summary; `text` makes it postable as-is to Slack-style incoming webhooks."""
    day = package.day.isoformat()
    link = f"{target.link.rstrip('/')}/{day}/" if target.link else None
    stories = package.briefing.key_developments
    developments = [
        {
            "headline": story.headline,
            "outlets": story.outlets,
            # the first item's link; a clipping may have none, then the first item that has one
            "url": next((item.url for item in story.items if item.url), None),
        }
        for story in stories
    ]
    lines = [f"{_slack(package.title)} — {day}"]
    lines += [f"• {_slack(s.headline)} ({_slack(', '.join(s.outlets))})" for s in stories]
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
    import httpx  # (here: a config that names a webhook need not load httpx)

    from ..sources.http import make_client, post_json, refused

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
    except httpx.ConnectError as exc:  # a refused address is the config's fault: no retry
        reason = str(exc) or "connection failed"
        raise DeliveryError(f"webhook {host}: {reason}", not refused(exc)) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise DeliveryError(f"webhook {target.url!r}: {exc}", False) from None
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook {host}: {type(exc).__name__}: {exc}", True) from None
    if 200 <= status < 300:
        return f"posted to {host} (HTTP {status})"
    retryable = status in (408, 429) or status >= 500
    raise DeliveryError(f"webhook {host}: HTTP {status}", retryable)
