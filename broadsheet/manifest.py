"""The stories a build can take as they are. Each story's inputs hash to one key: its folder's files
(by stat, and by content when the stat changed, as git's index does) and the site's key (templates,
static files, theme, site.yaml, the engine's own code, tool versions, the options that change
pages). What a build published for each story (its files with their size and time, what the pages
that list stories need, its links and anchors) is recorded in the project cache, one record per
output folder; the next build into that folder skips a story whose key and files are unchanged
without reading its sections, facts or charts.

A page taken as it was keeps the build date its footer shows: that is the day it was made.
"""
from __future__ import annotations

import json
import os
import posixpath
from urllib.parse import urlsplit
from dataclasses import asdict
from pathlib import Path

from .cache import digest, engine_fingerprint
from .diagnostics import Diagnostic, SourceLocation
from .model import ArchivedStory, Listing, OutputFile

RECORD_VERSION = "stories-v3"
_VERSIONED = ("vl-convert-python", "altair", "vegafusion", "jinja2", "markdown", "babel", "pyyaml")


def site_key(site_src: Path, site_yaml: bytes, options_text: str) -> str:
    """What every page depends on besides its story: a change here rebuilds every story."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [RECORD_VERSION, options_text, site_yaml, engine_fingerprint()]
    for path in sorted(site_src.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(site_src).as_posix(), path.read_bytes()]
    for package in _VERSIONED:
        try:
            parts.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} absent")
    return digest(*parts)


def _files_of(folder: str) -> list[tuple[str, os.stat_result]]:
    """(path inside the folder, stat) of every file under it, links followed as the build does."""
    found, pending = [], [("", folder)]
    while pending:
        prefix, current = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir():
                    pending.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file():
                    found.append((prefix + entry.name, entry.stat()))
    return sorted(found)


def stamp(folder: Path, known: dict) -> dict[str, list]:
    """{path: [size, mtime_ns, sha256, mode]} of the story's files; a file whose size, time and
    permissions are as `known` records them keeps its recorded hash, any other is read and hashed
    (a file made unreadable is then found, and the story built to say so)."""
    stamps = {}
    for name, info in _files_of(str(folder)):
        before = known.get(name)
        if before and before[0] == info.st_size and before[1] == info.st_mtime_ns and before[3:] == [info.st_mode]:
            stamps[name] = before
        else:
            with open(os.path.join(folder, name), "rb") as file:
                stamps[name] = [info.st_size, info.st_mtime_ns, digest(file.read()), info.st_mode]
    return stamps


def story_key(site: str, stamps: dict[str, list]) -> str:
    return digest(site, *(f"{name}:{value[2]}" for name, value in sorted(stamps.items())))


class Records:
    """The record of the last build into one output folder, read once, written after a build."""

    def __init__(self, cache, out: Path, today: str = ""):
        self.cache, self.name, self.today = cache, digest("output", str(Path(out).resolve())), today
        raw = cache.get("stories", self.name) if cache.holds("stories") else None
        try:
            self.stories: dict = json.loads(raw)["stories"] if raw else {}
        except (ValueError, KeyError, TypeError):
            self.stories = {}  # a damaged record only costs a full build

    def inputs(self, slug: str) -> dict:
        return (self.stories.get(slug) or {}).get("inputs", {})

    def unchanged(self, slug: str, key: str, out: Path) -> ArchivedStory | None:
        """The story as the last build left it, when its key is the same and its files are still
        in the output folder as that build wrote them; else None (the story is built)."""
        record = self.stories.get(slug)
        if not record or record.get("key") != key or record.get("checked_on", self.today) != self.today:
            return None  # changed, or a story with `stale_after:` not yet checked today
        for path, size, mtime in record["files"]:
            try:
                info = os.stat(out / path)
            except OSError:
                return None
            if info.st_size != size or info.st_mtime_ns != mtime:
                return None
        return ArchivedStory(Listing(**record["listing"]), tuple((p, s) for p, s, _ in record["files"]),
                             {page: tuple(ids) for page, ids in record["ids"].items()},
                             tuple((page, href) for page, href in record["links"]), record["charts"],
                             record["live"], tuple(_diagnostic(item) for item in record.get("warnings", ())))

    def kept(self, slug: str, key: str, inputs: dict) -> dict:
        """The record of a story this build took as it was: the last one's, with today's stamps
        (its files were linked or copied with their times, so their sizes and times still hold)."""
        return {**self.stories[slug], "key": key, "inputs": inputs}

    def save(self, entries: dict) -> None:
        self.cache.put("stories", self.name, json.dumps({"stories": entries}, sort_keys=True).encode("utf-8"))


class Unchanged:
    """Which story folders this build takes as they are, asked once per folder while the content
    folder is surveyed (a taken story's files are not opened to check they can be read: they were
    read by the build that wrote it, and their sizes and times have not changed since)."""

    def __init__(self, records: Records, site: str, out: Path):
        self.records, self.site, self.out = records, site, out
        self.stamps: dict[str, tuple[str, dict]] = {}  # slug -> (key, inputs), for the next record
        self.kept: dict[str, ArchivedStory] = {}

    def settled(self, folder: Path) -> bool:
        try:
            inputs = stamp(folder, self.records.inputs(folder.name))
        except OSError:  # the story's own reading will say what is wrong
            return False
        key = story_key(self.site, inputs)
        self.stamps[folder.name] = (key, inputs)
        kept = self.records.unchanged(folder.name, key, self.out)
        if kept is not None:
            self.kept[folder.name] = kept
        return kept is not None


def _diagnostic(item: dict) -> Diagnostic:
    return Diagnostic(item["severity"], item["code"], item["message"],
                      SourceLocation(item["path"], item["line"], item["column"]), item["hint"])


def built_record(listing: Listing, key: str, inputs: dict, files: list[OutputFile], out: Path, scanned,
                 charts: int, live: bool, checked_on: str = "", warnings=()) -> dict:
    """The record of a story this build wrote: its files as they now are in `out`. `checked_on`:
    the day, for a story whose facts go stale with time (`stale_after:`), which is built again the
    next day so that a scheduled build still says which facts went stale."""
    ids, links = scanned
    own = [f for f in files if f.path.startswith(listing.slug + "/")]
    stats = [(f.path, os.stat(out / f.path)) for f in own]
    dated = {"checked_on": checked_on} if checked_on else {}
    said = [{"severity": d.severity, "code": d.code, "message": d.message, "path": d.location.path,
             "line": d.location.line, "column": d.location.column, "hint": d.hint} for d in warnings]
    return {"key": key, "inputs": inputs, "listing": asdict(listing), "charts": charts, "live": live, **dated,
            "warnings": said,
            "files": [[path, info.st_size, info.st_mtime_ns] for path, info in stats],
            "ids": {page: sorted(found) for page, found in ids.items()},
            "links": [[link.page, link.href] for link in links if _leaves(link, listing.slug)]}


SITE_WIDE = {"", ".", "index.html", "assets", "archives", "feed.xml", "sitemap.xml", "robots.txt", "404.html"}


def _leaves(link, slug: str) -> bool:
    """Whether a link lands in another story: only those can break while the story is kept (its
    own pages, files and anchors are kept with it; the site-wide pages and assets every build makes,
    and a change of an asset changes the site's key)."""
    parts = urlsplit(link.href)
    if parts.scheme or parts.netloc or not parts.path:  # another site, or this very page
        return False
    target = posixpath.normpath(posixpath.join(posixpath.dirname(link.page), parts.path))
    first = target.split("/", 1)[0]
    return first != slug and first not in SITE_WIDE and not first.startswith("sitemap-")
