"""The `page` source: an HTML article becomes one item, a live blog one item per post.

How a page is read (first rule that applies):

0. **Not a page**: not HTML (`htmlpage.load_tree`), or a challenge, access-denied, error or
   consent page (`blocked`): no item, a warning with the reason, one refused entry.
1. **JSON-LD live blog**: a schema.org `LiveBlogPosting` (top level, in a list, in `@graph` or
   nested) with `liveBlogUpdate` entries: one item per update (headline, articleBody,
   datePublished, url).
2. **Microdata or RDFa live blog**: the same, stated with `itemprop`/`property` attributes
   (`microdata`).
3. **Markup live blog**, only when no JSON-LD node says the page is an article: each
   `<time datetime>` belongs to its nearest `<article>`, `<div>`, `<section>` or `<li>` whose
   class or id has a word starting with `post`, `update`, `entry` or `live`; that block grows to
   the largest ancestor holding no other post's time. Not posts: blocks in `<aside>`, `<nav>` or
   related/sidebar/comment/promo/teaser containers, blocks holding the page's `<h1>` (its
   header), and teasers, whose heading links to another page. Two or more posts make a live
   blog; a post's title is its first heading, else its first words.
4. **Article**: otherwise trafilatura extracts the main text from our parsed tree. It is never
   asked to fetch anything, and its insecure-SSL fallback is switched off all the same.

Times are trusted only from the page's own metadata (JSON-LD `datePublished`,
`article:published_time`, `<time datetime>` in the article). Titles lose their site name
(`titles`). trafilatura's date comes from
htmldate, which may guess from URLs or text, so it only ever counts as a day. Text reaches items
only through `clean`: plain, no markup, links only http(s).
"""

from __future__ import annotations

import copy
import functools
import itertools
from configparser import ConfigParser
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from lxml import etree

from ..models import Item
from ..text.clean import MAX_BODY, MAX_TITLE, first_words, truncate
from ..text.identity import item_id, normal_title, safe_url
from ..text.stamps import parse_timestamp
from .blocked import block_reason
from .htmlpage import (
    ARTICLE_TYPES,
    as_str,
    extracted_text,
    is_type,
    jsonld_nodes,
    load_tree,
    markup_of,
    meta_content,
    page_url,
    plain_text,
    site_name,
    site_names,
    site_of,
    title_of,
)
from .liveblog import MAX_POSTS, jsonld_posts, markup_posts, post_items, strip_chrome
from .microdata import has_live_blog, structured_posts
from .pagedates import article_date
from .registry import Document, ParseContext, Parsed, SourceConfig
from .titles import site_keys, strip_site

EXTRACT_CHARS = 300_000  # text handed to trafilatura (items keep MAX_BODY, 40,000)
EXTRACT_NODES = 50_000
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


@dataclass
class Article:
    """An HTML article as plain text; also what a feed's `expand:` uses for teaser entries."""

    title: str
    text: str
    published: datetime | None
    site_name: str | None
    date_only: bool = False  # the page gave only a day; `published` is noon that day


def parse_page(doc: Document, source: SourceConfig, ctx: ParseContext) -> Parsed:
    """One item for an article, one per post for a live blog. A page that is not one (not
    HTML, a challenge or error page, no text) is a warning and one refused entry; so is each
    post left out."""
    root = load_tree(doc.data, doc.content_type)
    if isinstance(root, str):
        return _refused(f"{doc.origin} {root}", root)
    nodes = jsonld_nodes(root)
    if reason := _not_a_page(root, nodes, doc.data):
        return _refused(f"{doc.origin} is not an article: {reason}", reason)
    url = page_url(root, nodes, safe_url(doc.url or source.url))
    outlet = source.outlet or site_name(root, nodes) or site_of(url) or source.name
    posts = jsonld_posts(nodes, url, ctx.zone)
    if posts is None and has_live_blog(root):
        posts = structured_posts(root, url, ctx.zone)
    if posts is None and not any(is_type(n, ARTICLE_TYPES) for n in nodes):
        posts = markup_posts(root, url, ctx.zone)
    if posts is not None:
        warnings, refused = [], []
        if len(posts) > MAX_POSTS:
            warnings.append(f"{doc.origin} has {len(posts)} posts; only {MAX_POSTS} were read")
            refused += [f"post over the limit of {MAX_POSTS:,} per page"] * (len(posts) - MAX_POSTS)
        kept = [p for p in posts[:MAX_POSTS] if p.title or p.body]
        refused += ["post without text"] * (min(len(posts), MAX_POSTS) - len(kept))
        return Parsed(post_items(kept, source, outlet, ctx), warnings, refused)
    art = _article(root, nodes, url, ctx.zone)
    if art is None:
        return _refused(f"{doc.origin} has no article text or live-blog posts", "no article text")
    lang = title_of(root.get("lang"))[:20] or None
    id_ = item_id(url, outlet, art.title, art.published)
    item = Item(id_, source.name, outlet, url, art.title, art.text, art.published, ctx.captured)
    return Parsed([replace(item, lang=lang, date_only=art.date_only)], [])


def _refused(warning: str, reason: str) -> Parsed:
    return Parsed([], [warning], [reason])


def _not_a_page(root: Any, nodes: list[dict[str, Any]], data: bytes) -> str | None:
    """Why the page is a challenge, error or consent page (see `blocked`); a page that states
    an article or live blog in its metadata is judged only by an error title."""
    stated = any(is_type(n, {*ARTICLE_TYPES, "LiveBlogPosting"}) for n in nodes) or bool(
        meta_content(root, "article:published_time", "og:title")
    )
    return block_reason(root, data, errors_only=stated)


def article_from_html(data: bytes, url: str | None, zone: tzinfo) -> Article | None:
    """The article in a fetched page, or None when it is not HTML, not the article (a
    challenge or error page) or holds no text."""
    root = load_tree(data, "")
    if isinstance(root, str):
        return None
    nodes = jsonld_nodes(root)
    if _not_a_page(root, nodes, data):
        return None
    return _article(root, nodes, page_url(root, nodes, safe_url(url)), zone)


@functools.cache
def _trafilatura_config() -> ConfigParser:
    """A private copy of trafilatura's settings with its insecure-SSL fallback off."""
    from trafilatura.settings import use_config

    config = use_config()  # a fresh ConfigParser read from trafilatura's own settings.cfg
    config.set("DEFAULT", "INSECURE_SSL_FALLBACK", "off")
    return config


def _article(
    root: Any, nodes: list[dict[str, Any]], url: str | None, zone: tzinfo
) -> Article | None:
    """Title, text, a trustworthy date and the site name of the page's main article."""
    from trafilatura import bare_extraction

    try:  # given a parsed tree, trafilatura has nothing to fetch
        extracted = bare_extraction(
            bounded_tree(root),
            url=url,
            with_metadata=True,
            include_comments=False,
            config=_trafilatura_config(),
        )
    except Exception:  # an extractor bug on odd markup must not lose the page
        extracted = None
    node = next((n for n in nodes if is_type(n, ARTICLE_TYPES)), {})
    text = extracted_text(getattr(extracted, "text", None), MAX_BODY + MAX_TITLE * 4)
    heads = (
        meta_content(root, "og:title"),
        markup_of(root.find(".//h1")),
        as_str(node.get("headline")),
    )
    first, _, rest = text.partition("\n\n")
    if rest and normal_title(first) in {normal_title(title_of(h)) for h in heads} - {""}:
        text = rest  # trafilatura keeps the headline as the first paragraph
    text = truncate(text, MAX_BODY)
    if not text:
        article = root.find(".//article")
        text = plain_text(
            as_str(node.get("articleBody"))
            or (markup_of(strip_chrome(article)) if article is not None else "")
        )
    text = text or plain_text(meta_content(root, "og:description", "description"))
    site = site_name(root, nodes)
    title = _title(root, node, site_keys(site_names(root, nodes), site_of(url)))
    title = title or title_of(getattr(extracted, "title", None))
    if not title and not text:
        return None
    published, day_only = article_date(root, node, zone)
    if published is None and getattr(extracted, "date", None):
        published, _ = parse_timestamp(str(extracted.date)[:10], zone)  # type: ignore[union-attr]
        day_only = published is not None
    return Article(title or first_words(text), text, published, site, day_only)


def bounded_tree(root: Any) -> Any:
    """The page with its <body> cut after EXTRACT_CHARS characters of text or EXTRACT_NODES
    elements (trafilatura needs ~20 s for a 10 MB page, and an item keeps only MAX_BODY
    characters anyway), its <head> after EXTRACT_NODES elements.

    Only what can become text counts: not the content of <script>, <style>, <noscript> and
    <template>, nor the whitespace that indents the markup, so a page with 300 KB of inline CSS
    or of indentation keeps its article. The head and
    the body are bounded apart, so the cut never removes the <body>."""
    parts = [p for p in (root.find("head"), root.find("body")) if p is not None] or [root]
    cuts = [(n, i) for n, p in enumerate(parts) if (i := _over_budget(p)) is not None]
    if not cuts:
        return root
    root = copy.deepcopy(root)
    copied = [p for p in (root.find("head"), root.find("body")) if p is not None] or [root]
    for n, index in cuts:
        part = copied[n]
        cut = next(itertools.islice(part.iter(), index, None))
        for child in list(cut):
            cut.remove(child)
        while cut is not part and (parent := cut.getparent()) is not None:
            for later in list(cut.itersiblings()):
                parent.remove(later)
            cut = parent
    return root


def _over_budget(part: Any) -> int | None:
    """The position (in `part.iter()`) of the element where the budget runs out, if it does."""
    seen = index = hidden = 0
    for event, el in etree.iterwalk(part, events=("start", "end")):
        invisible = el.tag in _INVISIBLE
        if event == "end":
            hidden -= invisible
            seen += len((el.tail or "").strip()) if hidden == 0 and el is not part else 0
            continue
        hidden += invisible
        seen += len((el.text or "").strip()) if hidden == 0 else 0
        if seen > EXTRACT_CHARS or index > EXTRACT_NODES:
            return index
        index += 1
    return None


def _title(root: Any, node: dict[str, Any], sites: set[str]) -> str:
    """The first title the page states (og:title, twitter:title, the JSON-LD headline, <title>)
    without its site name, else the first <h1>."""
    h1s = [title_of(markup_of(h)) for h in itertools.islice(root.iter("h1"), 5)]
    for raw in (
        meta_content(root, "og:title", "twitter:title"),
        as_str(node.get("headline")),
        markup_of(root.find(".//title")),
    ):
        if title := title_of(raw):
            return strip_site(title, sites, h1s)
    return next(iter(h1s), "")
