"""Live blogs: one item per post, from schema.org JSON-LD or from the page's post markup.

The rules are in the `pages` module docstring (rules 1 and 2).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from ..models import Item
from ..text.clean import first_words
from ..text.identity import item_id, safe_url
from ..text.stamps import parse_timestamp
from .htmlpage import (
    as_str,
    class_names,
    is_type,
    markup_of,
    plain_text,
    site_of,
    title_of,
)
from .registry import ParseContext, SourceConfig

MAX_POSTS = 1_000


_POSTISH = re.compile(r"(?:^|[\s_-])(?:post|update|entry|live)", re.I)
_FURNITURE = re.compile(
    r"related|sidebar|comment(?!ary)|recommend|promo|most-?read|popular|newsletter|trending|"
    r"breadcrumb|teaser|more-(?:from|stories|news)|read-?next|recirc|onward|"
    r"(?:^|[\s_-])(?:ads?|advert\w*)(?:$|[\s_-])",
    re.I,
)
_CHROME = re.compile(  # parts of a post that are not its text
    r"(?:^|[\s_-])(?:share|sharing|social|byline|author|meta|tools|actions|buttons?|permalink|"
    r"timestamp)(?:$|[\s_-])",
    re.I,
)
_DROP_TAGS = (
    *("script", "style", "noscript", "template", "iframe", "object", "embed", "svg"),
    *("math", "form", "button", "select", "textarea", "input", "figure"),
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class Post:
    """One post of a live blog, before it becomes an item."""

    title: str
    body: str
    published: datetime | None
    date_only: bool
    url: str | None
    key: str  # the post's own id or anchor, to salt its item id


def jsonld_posts(nodes: list[dict[str, Any]], page: str | None, zone: tzinfo) -> list[Post] | None:
    """One post per `liveBlogUpdate` of the page's LiveBlogPosting; None when there is none."""
    for node in nodes:
        updates = node.get("liveBlogUpdate")
        if not updates or not is_type(node, {"LiveBlogPosting"}):
            continue
        posts = []
        for up in updates if isinstance(updates, list) else [updates]:
            if not isinstance(up, dict):
                continue
            published, day_only = parse_timestamp(
                as_str(up.get("datePublished")) or as_str(up.get("dateCreated")), zone
            )
            ref = as_str(up.get("@id")) or ""
            link = as_str(up.get("url")) or (ref if "#" in ref else None)  # an @id may be a name
            title = title_of(as_str(up.get("headline")) or as_str(up.get("name")))
            body = plain_text(as_str(up.get("articleBody")) or as_str(up.get("text")))
            key = ref or link or ""
            posts.append(Post(title, body, published, day_only, post_url(link, page), key))
        if posts:
            return posts
    return None


def post_url(link: str | None, page: str | None) -> str | None:
    """A post's own address when it is on the page's site; elsewhere only its #anchor is kept."""
    url = safe_url(urljoin(page or "", link.strip())) if link else None
    if url is None or page is None or site_of(url) == site_of(page):
        return url or page
    anchor = urlsplit(url).fragment
    return f"{page.split('#')[0]}#{quote(anchor, safe='-_.~')}" if anchor else page


def markup_posts(root: Any, page: str | None, zone: tzinfo) -> list[Post] | None:
    """Posts by the markup rule in the module docstring; None unless there are two or more."""
    anchors: dict[Any, None] = {}
    for stamp in root.iter("time"):
        if stamp.get("datetime"):
            block = next((a for a in stamp.iterancestors() if _postish(a)), None)
            if block is not None and not _furniture(block):
                anchors.setdefault(block, None)
    holding: dict[Any, int] = {}
    for anchor in anchors:
        for parent in anchor.iterancestors():
            holding[parent] = holding.get(parent, 0) + 1
    posts: list[Post] = []
    for anchor in anchors:
        block = anchor
        while (parent := block.getparent()) is not None and parent.tag not in ("body", "html"):
            if holding.get(parent, 0) > 1:
                break
            block = parent
        if block.find(".//h1") is None and (post := _markup_post(block, anchor, page, zone)):
            posts.append(post)
    return posts if len(posts) >= 2 else None


def _postish(el: Any) -> bool:
    return el.tag in ("article", "div", "section", "li") and bool(_POSTISH.search(class_names(el)))


def _furniture(el: Any) -> bool:
    nodes = (el, *el.iterancestors())
    return any(n.tag in ("aside", "nav") or _FURNITURE.search(class_names(n)) for n in nodes)


def _markup_post(block: Any, anchor: Any, page: str | None, zone: tzinfo) -> Post | None:
    """Title, text, time and anchor of one post block; None when it holds no text."""
    stamp = next(el for el in block.iter("time") if el.get("datetime"))
    published, day_only = parse_timestamp(stamp.get("datetime"), zone)
    heading = next(block.iter(*_HEADINGS), None)
    if heading is not None:  # a heading that links to another page makes a teaser, not a post
        links = [*heading.iter("a"), *heading.iterancestors("a")]
        if any(_elsewhere(a.get("href") or "", page) for a in links):
            return None
    body = strip_chrome(block)
    if heading is not None and (copied := next(body.iter(*_HEADINGS), None)) is not None:
        copied.drop_tree()
    for el in list(body.iter()):
        stamp_line = el.tag == "time" and el.getparent().tag != "p"  # not a date in a sentence
        if el is not body and (stamp_line or _CHROME.search(class_names(el))):
            el.drop_tree()
    title, text = title_of(markup_of(heading)), plain_text(markup_of(body))
    if not title and not text:
        return None
    chain = [anchor, *anchor.iterancestors()]
    key = next(
        (el.get("id") for el in reversed(chain[: chain.index(block) + 1]) if el.get("id")), ""
    )
    url = f"{page.split('#')[0]}#{quote(key, safe='-_.~')}" if page and key else None
    for link in block.iter("a"):  # a permalink: rel=bookmark, class permalink, or around a title
        marked = "bookmark" in (link.get("rel") or "") or "permalink" in (link.get("class") or "")
        target = safe_url(urljoin(page or "", (link.get("href") or "").strip()))
        wraps = any(el is stamp or el is heading for el in link.iter())
        same = target and (page is None or target.split("#")[0] == page.split("#")[0])
        if (marked or wraps) and same and urlsplit(target).fragment:
            key, url = urlsplit(target).fragment, target
            break
    return Post(title, text, published, day_only, url or page, key)


def _elsewhere(href: str, page: str | None) -> bool:
    href = href.strip()
    target, here = urlsplit(urljoin(page or "", href)), urlsplit(page or "")
    path = (target.netloc.lower(), target.path.rstrip("/"))
    return (
        bool(href)
        and not href.startswith("#")
        and path != (here.netloc.lower(), here.path.rstrip("/"))
    )


def strip_chrome(el: Any) -> Any:
    """A copy without scripts, embeds, forms and figures (drop_tree keeps the tail text)."""
    el = copy.deepcopy(el)
    for bad in list(el.iter(*_DROP_TAGS)):
        if bad is not el:
            bad.drop_tree()
    return el


def post_items(
    posts: list[Post], source: SourceConfig, outlet: str, ctx: ParseContext
) -> list[Item]:
    """Posts share the page address, so each id is salted with the post's anchor, else its time
    and title; a repeated salt gets a counter."""
    items: list[Item] = []
    seen: set[str] = set()
    for post in posts:
        title = post.title or first_words(post.body)
        salt = post.key or f"{post.published.isoformat() if post.published else ''}|{title}"
        n = 1
        while (salted := salt if n == 1 else f"{salt}|{n}") in seen:
            n += 1
        seen.add(salted)
        id_ = item_id(post.url, outlet, title, post.published, salt=salted)
        item = Item(
            id_, source.name, outlet, post.url, title, post.body, post.published, ctx.captured
        )
        items.append(replace(item, date_only=post.date_only))
    return items
