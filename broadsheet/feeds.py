"""sitemap.xml, robots.txt and the Atom feed: what search engines and feed readers fetch.

All three need absolute URLs, so they come from `absolute_url` in site.yaml; without it the
build warns (`site-no-absolute-url`) and writes robots.txt and a feed with relative links only.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from .model import Site, Story


def escape(text: str) -> str:
    """XML text, as xml.sax.saxutils writes it (that module imports urllib, which a build does not need)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as xml.sax.saxutils.quoteattr writes it."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'



def absolute(site: Site, path: str) -> str:
    """The public URL of a site path ('' when the site's absolute URL is not configured)."""
    root = site.config.absolute_url
    if not root:
        return ""
    return root.rstrip("/") + "/" + path.lstrip("/")


def story_path(story: Story) -> str:
    return f"{story.slug}/"


def sitemap(site: Site, pages: Iterable[str]) -> bytes:
    """Every page but 404, with its last change for stories."""
    updated = {f"{s.slug}/index.html": s.updated for s in site.stories}
    drafts = {s.slug for s in site.stories if s.draft}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in sorted(pages):
        if page == "404.html" or not page.endswith(".html") or "/embed/" in page or page.split("/")[0] in drafts:
            continue
        location = absolute(site, page[: -len("index.html")] if page.endswith("index.html") else page)
        lines.append(f"  <url><loc>{escape(location)}</loc>"
                     + (f"<lastmod>{updated[page]}</lastmod>" if page in updated else "") + "</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site: Site) -> bytes:
    text = "User-agent: *\nAllow: /\n"
    if site.config.absolute_url:
        text += f"Sitemap: {absolute(site, 'sitemap.xml')}\n"
    return text.encode("utf-8")


def atom(site: Site) -> bytes:
    """An Atom 1.0 feed of the stories, newest update first."""
    config = site.config
    stories = sorted(site.listed, key=lambda s: (s.updated, s.slug), reverse=True)
    feed_updated = max((s.updated for s in stories), default=site.generated.isoformat())
    site_id = absolute(site, "") or f"urn:broadsheet:{_slug(config.title)}"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
             f"  <title>{escape(config.title)}</title>",
             f"  <subtitle>{escape(config.description)}</subtitle>" if config.description else "",
             f"  <id>{escape(site_id)}</id>",
             f"  <updated>{_timestamp(feed_updated)}</updated>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(absolute(site, '') or './')}/>",
             f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(absolute(site, 'feed.xml') or 'feed.xml')}/>",
             f"  <author><name>{escape(config.newsroom or config.title)}</name></author>"]
    for story in stories:
        link = absolute(site, story_path(story)) or story_path(story)
        entry_id = absolute(site, story_path(story)) or f"{site_id}:{story.slug}"
        lines += ["  <entry>",
                  f"    <title>{escape(story.title)}</title>",
                  f"    <id>{escape(entry_id)}</id>",
                  f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>",
                  f"    <published>{_timestamp(story.published)}</published>",
                  f"    <updated>{_timestamp(story.updated)}</updated>",
                  f"    <author><name>{escape(story.byline)}</name></author>",
                  f"    <summary>{escape(story.dek)}</summary>",
                  "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def _timestamp(iso_date: str) -> str:
    return dt.date.fromisoformat(iso_date[:10]).isoformat() + "T00:00:00Z"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "site"
