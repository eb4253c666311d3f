"""sitemap.xml, robots.txt and the Atom feed: what search engines and feed readers fetch.

All three need absolute URLs, so they come from `absolute_url` in site.yaml; without it the
build warns (`site-no-absolute-url`) and writes robots.txt and a feed with relative links only.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

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


SITEMAP_URLS = 50_000  # the most one sitemap file may list (sitemaps.org); past it, an index of several
FEED_STORIES = 50  # the newest stories the feed carries


def sitemaps(site: Site, listings, pages: Iterable[str], per_file: int = SITEMAP_URLS,
             also: Mapping[str, tuple] | None = None) -> dict[str, bytes]:
    """{file name: bytes}: sitemap.xml listing every page but 404, embeds and drafts', with its last
    change for stories; past `per_file` URLs, sitemap.xml is an index of sitemap-1.xml, -2…
    Story and home pages name their other languages; `also`, other pages' ({page: (((language,
    path), …), the default's path)}), such as each story's "how we know" page."""
    updated = {f"{s.slug}/index.html": s.updated for s in listings}
    drafts = {s.slug for s in listings if s.draft}
    languages = {f"{s.slug}/index.html": (s.alternates, next((path for _, path in s.alternates if "/" not in path.rstrip("/")), ""))
                 for s in listings if s.alternates and not s.draft}
    languages.update(home_alternates(site, listings))
    languages.update(also or {})
    urls = []
    for page in sorted(pages):
        if page == "404.html" or not page.endswith(".html") or "/embed/" in page or page.split("/")[0] in drafts:
            continue
        location = absolute(site, page[: -len("index.html")] if page.endswith("index.html") else page)
        urls.append(f"  <url><loc>{escape(location)}</loc>"
                    + (f"<lastmod>{updated[page]}</lastmod>" if page in updated else "")
                    + _alternates(site, *languages.get(page, ((), ""))) + "</url>")
    if len(urls) <= per_file:
        return {"sitemap.xml": _xml("urlset", urls)}
    parts = {f"sitemap-{n + 1}.xml": _xml("urlset", urls[start:start + per_file])
             for n, start in enumerate(range(0, len(urls), per_file))}
    index = [f"  <sitemap><loc>{escape(absolute(site, name))}</loc></sitemap>" for name in parts]
    return {"sitemap.xml": _xml("sitemapindex", index), **parts}


def home_alternates(site: Site, listings) -> dict[str, tuple]:
    """{page: (((language, path), …), the default's path)} for the home pages when a language has its own at `LL/` (a
    story published under `LL/`): the site's home at '' and each `LL/`, every one naming all."""
    others = sorted({s.language for s in listings if not s.draft and "/" in s.slug} - {site.config.language})
    if not others:
        return {}
    homes = ((site.config.language, ""), *((language, f"{language}/") for language in others))
    return {f"{path}index.html": (homes, "") for _, path in homes}


def _alternates(site: Site, alternates, default: str = "") -> str:
    """A page in each of its languages, as Google reads them in a sitemap (each page lists every
    language, itself included, and the `default`: the version at `SLUG/`, or the site's home '')."""
    links = [f'<xhtml:link rel="alternate" hreflang={quoteattr(language)} href={quoteattr(absolute(site, path))}/>'
             for language, path in alternates]
    links += [f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(absolute(site, path))}/>'
              for _, path in alternates if path == default]
    return "".join(links)


def _xml(root: str, lines: list[str]) -> bytes:
    space = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if any("<xhtml:link" in line for line in lines) else ""
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{space}>', *lines,
                      f"</{root}>"]).encode("utf-8") + b"\n"


def robots(site: Site) -> bytes:
    text = "User-agent: *\nAllow: /\n"
    if site.config.absolute_url:
        text += f"Sitemap: {absolute(site, 'sitemap.xml')}\n"
    return text.encode("utf-8")


def feed_listings(site: Site, listings, language: str) -> list:
    """The stories of one language's feed: for the site's language, every story's version at
    `SLUG/` (a story with no version in that language is there in its original); for another
    language, every story in it."""
    if language == site.config.language:
        return [s for s in listings if "/" not in s.slug]
    return [s for s in listings if s.language == language]


def feed_languages(site: Site, listings) -> list[str]:
    """The site's language, and every other language a story is published in under `LL/`, or
    whose pages point readers to its feed."""
    return list(dict.fromkeys([site.config.language, *sorted(s.language for s in listings)]))


def atom(site: Site, listings, newest: int = FEED_STORIES, language: str = "") -> bytes:
    """An Atom 1.0 feed of the `newest` stories (of their `listings`, drafts left out), newest
    update first; with `language`, that language's feed (feed_listings), at `LL/feed.xml`."""
    config = site.config
    language = language or config.language
    own = "feed.xml" if language == config.language else f"{language}/feed.xml"
    up = "../" * own.count("/")
    listings = feed_listings(site, listings, language) if language != config.language or any(
        s.alternates for s in listings) else listings
    stories = sorted((s for s in listings if not s.draft), key=lambda s: (s.updated, s.slug), reverse=True)[:newest]
    feed_updated = max((s.updated for s in stories), default=site.generated.isoformat())
    # Each language's feed is its own (its id), and leads to its language's home page, when it has one.
    own_id = "" if language == config.language else f"{language}/"
    home = own_id if own_id and any("/" in s.slug for s in listings) else ""
    site_id = absolute(site, "") or f"urn:broadsheet:{_slug(config.title)}"
    feed_id = absolute(site, own_id) or (site_id + (f":{language}" if own_id else ""))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(language)}>',
             f"  <title>{escape(config.in_language(language).title)}</title>",
             f"  <subtitle>{escape(config.in_language(language).description)}</subtitle>" if config.description else "",
             f"  <id>{escape(feed_id)}</id>",
             f"  <updated>{_timestamp(feed_updated)}</updated>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(absolute(site, home) or ('./' if home else up or './'))}/>",
             f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(absolute(site, own) or 'feed.xml')}/>",
             f"  <author><name>{escape(config.in_language(language).newsroom or config.title)}</name></author>"]
    for story in stories:
        link = absolute(site, story_path(story)) or up + story_path(story)
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
