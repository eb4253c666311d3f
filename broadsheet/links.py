"""Links in the built pages: every internal link and #anchor must land somewhere.

Internal links are checked on the rendered HTML (what readers click), then traced back to the
Markdown line that holds them. Outside links are checked only on request (`--check-external`),
and only when a network answers; otherwise the build says it skipped them.
"""
from __future__ import annotations

import concurrent.futures
import posixpath
import socket
from dataclasses import dataclass
import html
import json
import re
from typing import Collection, Iterable, Mapping
from urllib.parse import unquote, urlsplit

from .cache import digest, engine_fingerprint
from .diagnostics import Diagnostic, SourceLocation, error, warning
from .model import Site


@dataclass(frozen=True)
class Link:
    page: str  # the site path of the page holding it
    href: str


_ID = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]*)"|<a\s[^>]*?\bname="([^"]*)"')  # a <meta name> is no anchor
_LINK = re.compile(r'<(?:a|link)\s[^>]*?\bhref="([^"]*)"|<(?:img|script|iframe|source)\s[^>]*?\bsrc="([^"]*)"')
_TEXT_BLOCKS = re.compile(r"<(script|textarea|style)\b[^>]*>.*?</\1>", re.S)


def scan(files: Mapping[str, bytes], cache=None, remembered=lambda path: False
         ) -> tuple[dict[str, set[str]], list[Link]]:
    """(ids of each page, every link of every page). The pages are ours, with attributes always in
    double quotes, so a regular expression reads them as well as a parser, ten times faster
    (the preview runs this on every save); text inside <script>, <textarea> and <style> is skipped.
    The pages `remembered(path)` names (those that list stories: a hundred links each, the same
    from one build to the next) are read once and their ids and links kept in `cache`."""
    ids: dict[str, set[str]] = {}
    links: list[Link] = []
    for path, content in files.items():
        if not path.endswith(".html") or path == "404.html":
            continue  # the 404 page uses absolute paths from the base URL, on purpose
        found, hrefs = _remembered_scan(cache, path, content) if cache is not None and remembered(path) \
            else _scan_page(content)
        ids[path] = found
        links.extend(Link(path, href) for href in hrefs)
    return ids, links


def _scan_page(content: bytes) -> tuple[set[str], list[str]]:
    text = content.decode("utf-8", errors="replace")
    tags = _TEXT_BLOCKS.sub(lambda m: m.group(0)[: m.group(0).index(">") + 1], text)
    return ({html.unescape(value or name) for value, name in _ID.findall(tags)},
            [html.unescape(href or src) for href, src in _LINK.findall(tags)])


def _remembered_scan(cache, path: str, content: bytes) -> tuple[set[str], list[str]]:
    """_scan_page, kept in the cache under the page's path and bytes (and the engine's code: an
    edited expression reads the pages again)."""
    key = digest("link-scan", engine_fingerprint(), path, content)
    kept = cache.get("link-scans", key)
    if kept is not None:
        try:
            found, hrefs = json.loads(kept)
            return set(found), hrefs
        except (ValueError, TypeError):
            pass  # a damaged entry: the page is read again
    found, hrefs = _scan_page(content)
    cache.put("link-scans", key, json.dumps([sorted(found), hrefs], ensure_ascii=False).encode("utf-8"))
    return found, hrefs


def is_external(href: str) -> bool:
    if ":" not in href and not href.startswith("//"):  # no scheme, no host: most links of a site
        return False
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc)


_PLAIN = re.compile(r"(?!//)[^:?#%\\\x00-\x20\x7f]*")  # a path with nothing to split, strip or unquote: ../../slug/


def resolve(page: str, href: str, files: Collection[str]) -> tuple[str | None, str]:
    """(site path the link lands on, or None when there is no such file; its #fragment)."""
    if href and _PLAIN.fullmatch(href):
        path, fragment = href, ""
    else:
        parts = urlsplit(href)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return page, fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target.startswith("../") or target == "..":
        return None, fragment
    target = "" if target == "." else target
    for candidate in (target, posixpath.join(target, "index.html")):
        if candidate in files:
            return candidate, fragment
    return None, fragment


def check_internal(files: Mapping[str, bytes], site: Site, kept: frozenset | set = frozenset(),
                   kept_ids: Mapping[str, Collection[str]] | None = None, kept_links: list[Link] = (),
                   deferred=None, cache=None, remembered=lambda path: False) -> list[Diagnostic]:
    """Every link of the site's pages lands on a file and, with a #fragment, on an id there.
    `kept` files are in the output already (stories taken as they were): their ids and links come
    from the record of the build that wrote them. `deferred(link)`: a link checked later, by the
    build that has its target (a shard's links into other stories, checked by the assembly).
    `cache`, `remembered`: as for `scan`."""
    ids, links = scan(files, cache, remembered)
    ids.update(kept_ids or {})
    present = files if not kept else {*kept, *files}  # where a link may land: names, not bytes
    problems: dict[tuple, Diagnostic] = {}
    for link in links + list(kept_links):
        if is_external(link.href) or link.href.startswith(("mailto:", "tel:", "data:")) or \
                (deferred is not None and deferred(link)):
            continue
        target, fragment = resolve(link.page, link.href, present)
        if target is None:
            message = f"link '{link.href}' points to no page or file of the site"
        elif fragment and target.endswith(".html") and fragment not in ids.get(target, set()):
            message = f"link '{link.href}' points to no '#{fragment}' on {target.removesuffix('index.html') or '/'}"
        else:
            continue
        where = locate(link, site)
        key = (where, link.href)
        is_file = posixpath.splitext(urlsplit(link.href).path)[1] not in ("", ".html")
        hint = ("a story shows its own files: put it in the story's media/ folder and write media/<name>"
                if is_file else "check the spelling; anchors are the ids of headings (lowercase, accents and "
                "punctuation dropped, words joined by '-') and of charts (#chart-<id>)")
        if key not in problems:
            problems[key] = error("link-broken", message, where, hint)
    return list(problems.values())


def locate(link: Link, site: Site) -> SourceLocation:
    """The Markdown line that holds a link, or the page when a template made it."""
    for story in site.stories:
        if not link.page.startswith(story.slug + "/"):
            continue
        for section in ([story.intro] if story.intro else []) + list(story.sections):
            for number, line in enumerate(section.markdown.split("\n"), start=1):
                for marker in (f"]({link.href}", f"<{link.href}>", f"]: {link.href}"):
                    column = line.find(marker)
                    if column >= 0:  # point at the address itself
                        return SourceLocation(section.path, number + section.line_offset,
                                              column + len(marker) - len(link.href) + 1)
    return SourceLocation(f"site_src/templates (in {link.page})")


def external_links(files: Mapping[str, bytes]) -> dict[str, list[Link]]:
    _, links = scan(files)
    found: dict[str, list[Link]] = {}
    for link in links:
        if urlsplit(link.href).scheme in ("http", "https"):
            found.setdefault(link.href.split("#")[0], []).append(link)
    return found


def network_available(hosts: Iterable[str], timeout: float = 3.0) -> bool:
    for host in list(hosts)[:3]:
        try:
            socket.create_connection((host, 443), timeout=timeout).close()
            return True
        except OSError:
            continue
    return False


def check_external(files: Mapping[str, bytes], site: Site, timeout: float = 10.0) -> tuple[list[Diagnostic], str]:
    """(problems, a sentence saying what was checked or why nothing was)."""
    found = external_links(files)
    if not found:
        return [], "no external links to check"
    hosts = sorted({urlsplit(url).hostname or "" for url in found} - {""})
    if not network_available(hosts):
        return [], f"skipped {len(found)} external links: no network answers from this machine"

    import urllib.error  # here: a build that checks no external link does not import urllib's HTTP client
    import urllib.request

    def status(url: str) -> str:
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "Broadsheet link check"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                return "" if response.status < 400 else str(response.status)
        except urllib.error.HTTPError as exc:
            if exc.code in (403, 405, 429):  # many sites refuse HEAD or robots: not a dead link
                return ""
            return str(exc.code)
        except (urllib.error.URLError, OSError) as exc:
            return str(getattr(exc, "reason", exc))

    problems = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for url, result in zip(found, pool.map(status, found)):
            if result:
                problems.append(warning("link-external", f"link '{url}' answers {result}", locate(found[url][0], site),
                                        "the page may have moved: find its new address, or link to an archived copy"))
    return problems, f"checked {len(found)} external links"
