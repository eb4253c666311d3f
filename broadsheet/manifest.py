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
import zlib
from urllib.parse import urlsplit
from dataclasses import asdict
from pathlib import Path

from .cache import digest, engine_fingerprint
from .diagnostics import Diagnostic, SourceLocation, error
from .model import ArchivedStory, Listing, OutputFile, made

RECORD_VERSION = "stories-v5"
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


def scan(folder: str) -> tuple[list[str], list[tuple[str, os.stat_result]]]:
    """(every name in the folder, sorted; (path inside the folder, stat) of every file under it, in
    the order the walk met them), links followed as the build does: one directory read per folder."""
    found, pending = [], []
    with os.scandir(folder) as entries:
        names = []
        for entry in entries:
            names.append(entry.name)
            if entry.is_dir():
                pending.append((entry.name + "/", entry.path))
            elif entry.is_file():
                found.append((entry.name, entry.stat()))
    while pending:
        prefix, current = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir():
                    pending.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file():
                    found.append((prefix + entry.name, entry.stat()))
    names.sort()
    return names, found


def stamp(folder: Path, known: dict, files: list[tuple[str, os.stat_result]] | None = None) -> dict[str, list]:
    """{path: [size, mtime_ns, sha256, mode]} of the story's files (`files`: its walk, when made
    already); a file whose size, time and permissions are as `known` records them keeps its
    recorded hash, any other is read and hashed (a file made unreadable is then found, and the
    story built to say so). When every file is as known, `known` itself is returned: the next
    record keeps the same entry, and its bucket is not written again."""
    files = scan(os.fspath(folder))[1] if files is None else files
    stamps = {}
    changed = len(files) != len(known)
    for name, info in files:
        before = known.get(name)
        if before and len(before) == 4 and before[1] == info.st_mtime_ns and before[0] == info.st_size \
                and before[3] == info.st_mode:
            stamps[name] = before
        else:
            changed = True
            with open(os.path.join(folder, name), "rb") as file:
                stamps[name] = [info.st_size, info.st_mtime_ns, digest(file.read()), info.st_mode]
    return dict(sorted(stamps.items())) if changed else known


def story_key(site: str, stamps: dict[str, list]) -> str:
    return digest(site, *(f"{name}:{value[2]}" for name, value in sorted(stamps.items())))


BUCKETS = 64  # the record is kept in this many entries: an edit rewrites one, not all 10,000 stories'


def bucket_of(slug: str) -> int:
    return zlib.crc32(slug.encode("utf-8")) % BUCKETS


class Records:
    """The record of the last build into one output folder, read once, written after a build (only
    the buckets whose stories changed)."""

    def __init__(self, cache, out: Path, today: str = "", site: str = ""):
        self.cache, self.name, self.today = cache, digest("output", str(Path(out).resolve())), today
        self.out = out
        self.site = site  # this build's site key (site_key): the stories it records are built with it
        self.read: dict[int, dict] = {}  # bucket -> its stories as read
        self.sites: dict[int, str] = {}  # bucket -> the site key its stories were built with
        for number in range(BUCKETS) if cache.holds("stories") else ():
            raw = cache.get("stories", self._key(number))
            try:
                record = json.loads(raw) if raw else {}
                self.read[number], self.sites[number] = record.get("stories", {}), record.get("site", "")
            except (ValueError, AttributeError):
                self.read[number] = {}  # a damaged record only costs building its stories again
        self.stories: dict = {slug: entry for part in self.read.values() for slug, entry in part.items()}

    def _key(self, number: int) -> str:
        return digest(self.name, RECORD_VERSION, str(number))

    def inputs(self, slug: str) -> dict:
        return (self.stories.get(slug) or {}).get("inputs", {})

    def unchanged(self, slug: str, key: str, out: Path, look: bool = True) -> ArchivedStory | None:
        """The story as the last build left it, when its key is the same and its files are still
        in the output folder as that build wrote them (`look`: stat them; the preview, whose folder
        only Broadsheet writes, trusts its own record); else None (the story is built)."""
        record = self.stories.get(slug)
        if not record or record.get("key") != key or record.get("checked_on", self.today) != self.today:
            return None  # changed, or a story with `stale_after:` not yet checked today
        root = os.fspath(out) + "/"  # string paths: a pathlib join per file cost as much as its stat
        for path, size, mtime in record["files"] if look else ():
            try:
                info = os.stat(root + path)
            except OSError:
                return None
            if info.st_size != size or info.st_mtime_ns != mtime:
                return None
        return made(ArchivedStory, listing=made(Listing, **record["listing"]),
                    files=record["files"],  # [path, size, time]: as read
                    ids=record["ids"],  # lists as read: only the link check reads them
                    links=tuple(map(tuple, record["links"])), charts=record["charts"], has_live_charts=record["live"],
                    warnings=tuple(_diagnostic(item) for item in record.get("warnings", ())), origin="",
                    listing_key=record.get("listing_key", ""))

    def versions(self, slug: str) -> list[str]:
        """The site paths of the other languages of the story at `slug` (`en/slug`…), as recorded."""
        return list((self.stories.get(slug) or {}).get("versions", ()))

    def kept(self, slug: str, key: str, inputs: dict) -> dict:
        """The record of a story this build took as it was: the last one's, with today's stamps
        (its files were linked or copied with their times, so their sizes and times still hold)."""
        record = self.stories[slug]
        if record.get("key") == key and record.get("inputs") is inputs:
            return record  # as read (stamp gave back its inputs): the bucket holding it is not written again
        return {**record, "key": key, "inputs": inputs}

    def known_key(self, slug: str, inputs: dict) -> str | None:
        """The story's recorded key, when the site's key and the story's stamps are those it was
        built with (its key would hash to the same: not hashed again)."""
        record = self.stories.get(slug)
        if record and self.sites.get(bucket_of(slug)) == self.site and (record.get("inputs") is inputs
                                                                        or record.get("inputs") == inputs):
            return record.get("key")
        return None

    def save(self, entries: dict) -> None:
        """Write the buckets whose stories differ from what was read (none when nothing changed)."""
        parts: dict[int, dict] = {}
        for slug, entry in entries.items():
            parts.setdefault(bucket_of(slug), {})[slug] = entry
        for number in range(BUCKETS):
            part = parts.get(number, {})
            if part != self.read.get(number, {}) or (part and self.sites.get(number) != self.site):
                record = {"site": self.site, "stories": part}
                self.cache.put("stories", self._key(number), json.dumps(record, sort_keys=True).encode("utf-8"))
                self.read[number], self.sites[number] = part, self.site
        self.stories = dict(entries)  # as on disk now: the preview keeps this object for its next build


class Unchanged:
    """Which story folders this build takes as they are, asked once per folder while the content
    folder is surveyed (a taken story's files are not opened to check they can be read: they were
    read by the build that wrote it, and their sizes and times have not changed since)."""

    def __init__(self, records: Records, site: str, out: Path, changed: set[str] | None = None):
        self.records, self.site, self.out = records, site, out
        self.changed = changed  # the preview's: the folders its watcher saw change since its last build
        self.stamps: dict[str, tuple[str, dict]] = {}  # slug -> (key, inputs), for the next record
        self.kept: dict[str, tuple[ArchivedStory, ...]] = {}  # folder -> its languages, as kept

    def trusts(self, name: str) -> bool:
        """Whether the watcher vouches for the folder: the preview's last build recorded it, and
        nothing under it changed since (its files are then neither listed nor stat'ed)."""
        return self.changed is not None and name not in self.changed and name in self.records.stories

    def settled(self, folder: Path, files=None) -> bool:
        """A folder is taken when the story at `SLUG/` and each of its other languages (the record
        names them: `LL/SLUG/`, one folder's key) are as the last build wrote them. `files`: the
        folder's walk (scan), when the survey made it."""
        name = folder.name
        trusted = files is None and self.trusts(name)
        try:
            inputs = self.records.inputs(name) if trusted else stamp(folder, self.records.inputs(name), files)
        except OSError:  # the story's own reading will say what is wrong
            return False
        key = self.records.known_key(name, inputs) or story_key(self.site, inputs)
        self.stamps[name] = (key, inputs)
        unchanged, look = self.records.unchanged, not trusted
        kept = [unchanged(name, key, self.out, look)]
        for slug in self.records.versions(name):
            kept.append(unchanged(slug, key, self.out, look))
        if None in kept:
            return False
        self.kept[name] = tuple(kept)
        return True


class Watched:
    """What the preview keeps from one build to the next: the record of its folder (read once), and
    the story folders its watcher saw change since its last good build (None: not known, so every
    folder is looked at, as at its first build and after an edit outside the story folders)."""

    def __init__(self, content: Path):
        self.content = os.path.realpath(content) + os.sep
        self.records: Records | None = None
        self.changed: set[str] | None = None

    def saw(self, paths) -> None:
        """A batch of changed paths from the watcher: the story folders they are in."""
        for path in paths:
            inside = os.path.realpath(path)
            name = inside[len(self.content):].split(os.sep, 1)[0] if inside.startswith(self.content) else ""
            if not name or name in ("site.yaml",) or self.changed is None:
                self.changed = None  # a template, site.yaml, a file beside the stories: look at every folder
                return
            self.changed.add(name)

    def built(self) -> None:
        """The build succeeded: what it saw is recorded, nothing is pending."""
        self.changed = set()


def _diagnostic(item: dict) -> Diagnostic:
    return Diagnostic(item["severity"], item["code"], item["message"],
                      SourceLocation(item["path"], item["line"], item["column"]), item["hint"])


def listing_key(listing: Listing) -> str:
    """A digest of what the pages that list stories show of one story: the same whether the story
    was read by this build (tuples) or taken from a record (lists, read from JSON)."""
    return digest(json.dumps(vars(listing), sort_keys=True, ensure_ascii=False, default=str))


def listing_keys(every, archived=()) -> dict[str, str]:
    """{slug: listing_key} of every story; a story taken as it was (`archived`) gives the key its
    record kept (10,000 of them are not hashed again)."""
    recorded = {story.listing.slug: story.listing_key for story in archived}
    return {listing.slug: recorded.get(listing.slug) or listing_key(listing) for listing in every}


def listings_key(keys: dict[str, str]) -> str:
    """One digest of every story as the pages that list stories see them (`listing_keys`), in no
    particular order: while it holds, those pages hold too (with the same templates, site and date)."""
    return digest(*sorted(f"{slug}\0{key}" for slug, key in keys.items()))


def built_record(listing: Listing, key: str, inputs: dict, files: list[OutputFile], out: Path, scanned,
                 charts: int, live: bool, checked_on: str = "", warnings=()) -> dict:
    """The record of a story this build wrote: its files (`files`: those under its folder and the
    shared shapes it fetches) as they now are in `out`. `checked_on`:
    the day, for a story whose facts go stale with time (`stale_after:`), which is built again the
    next day so that a scheduled build still says which facts went stale."""
    ids, links = scanned
    stats = [(f.path, os.stat(out / f.path)) for f in files]  # its own (model.story_files)
    dated = {"checked_on": checked_on} if checked_on else {}
    said = [_said(d) for d in warnings]
    return {"key": key, "inputs": inputs, "listing": asdict(listing), "listing_key": listing_key(listing),
            "charts": charts, "live": live, **dated,
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


PART_FILE = "broadsheet-part.json"  # in a parts folder (`build --shard`): what `--assemble` needs of it
PART_VERSION = "part-v1"


def shard_of(slug: str, shards: int) -> int:
    """The shard (1 to `shards`) a story is built in: a hash of its slug, the same on every machine
    and in every run (Python's own hash() is salted per process)."""
    return int(digest("shard", slug)[:12], 16) % shards + 1


def stamped(folder: Path, site: str, files: list | None = None) -> tuple[str, dict]:
    """(key, inputs) of a story read afresh (another machine's build has no stamps to trust);
    `files`: its walk, when made already."""
    inputs = stamp(folder, {}, files)
    return story_key(site, inputs), inputs


def part_entry(listing: Listing, key: str, files: list[OutputFile], scanned, charts: int, live: bool,
               warnings=()) -> dict:
    """What `--assemble` needs of one story a shard built: its files and their sizes, what the pages
    that list stories show of it, its ids, and every link that leaves its folder (checked once the
    whole site is together: the shard holds only some of the stories, and none of the site's pages)."""
    ids, links = scanned
    return {"key": key, "listing": asdict(listing), "charts": charts, "live": live,
            "warnings": [_said(d) for d in warnings],
            "files": [[f.path, getattr(f, "size", None) or len(f.content)] for f in files],
            "ids": {page: sorted(found) for page, found in ids.items()},
            "links": [[link.page, link.href] for link in links if outside(link, listing.slug)]}


def part_file(site: str, shard: tuple[int, int], entries: dict) -> OutputFile:
    text = json.dumps({"version": PART_VERSION, "site": site, "shard": list(shard), "stories": entries},
                      sort_keys=True, indent=0)
    return OutputFile(PART_FILE, text.encode("utf-8"))


def outside(link, slug: str) -> bool:
    """Whether a link leaves its story's folder for another page or file of the site."""
    parts = urlsplit(link.href)
    if parts.scheme or parts.netloc or not parts.path or link.href.startswith(("mailto:", "tel:", "data:")):
        return False
    target = posixpath.normpath(posixpath.join(posixpath.dirname(link.page), parts.path))
    return target.split("/", 1)[0] != slug


class Parts:
    """The stories shards built (`build --shard I/N`), taken as they are by `build --assemble`: a
    story is taken when a part holds it with the key its folder has here and every file it lists;
    any other story is built here. Asked once per folder while the content folder is surveyed."""

    def __init__(self, folders, site: str, rel):
        self.site, self.problems, self.stamps = site, [], {}
        self.kept: dict[str, ArchivedStory] = {}
        self.stories: dict[str, tuple[Path, dict]] = {}
        for folder in folders:
            record = self._read(Path(folder), rel)
            for slug, entry in (record or {}).get("stories", {}).items():
                self.stories.setdefault(slug, (Path(folder), entry))

    def _read(self, folder: Path, rel) -> dict | None:
        where = SourceLocation(rel(folder / PART_FILE))
        try:
            record = json.loads((folder / PART_FILE).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            why = "it is missing" if isinstance(exc, FileNotFoundError) else f"it cannot be read ({exc})"
            self.problems.append(error("part-missing", f"{folder} is not a part: {why}", where,
                                       "name the folders `build --shard I/N --out DIR` wrote, one per shard"))
            return None
        if not isinstance(record, dict) or record.get("version") != PART_VERSION or record.get("site") != self.site:
            self.problems.append(error(
                "part-stale", f"{folder} was built from other templates, options, Broadsheet or tool "
                "versions than this build's", where, "build every shard and the assembly from the same commit, "
                "with the same --base-url and --drafts, in the same environment"))
            return None
        return record

    def settled(self, folder: Path, files=None) -> bool:
        """A folder is taken when a part holds the story at `SLUG/` and each of its other languages
        (`LL/SLUG/`, named by its entry), with the folder's key here and every file they list."""
        found = self.stories.get(folder.name)
        if found is None:
            return False
        try:
            key, inputs = stamped(folder, self.site, files)
        except OSError:  # the story's own reading will say what is wrong
            return False
        self.stamps[folder.name] = (key, inputs)
        versions = [found, *(self.stories.get(slug) for slug in found[1].get("versions", ()))]
        if not all(v and v[1].get("key") == key and all(_has(v[0] / path, size) for path, size in v[1]["files"])
                   for v in versions):
            return False
        self.kept[folder.name] = tuple(_archived(entry, str(part)) for part, entry in versions)
        return True


def _archived(entry: dict, part: str) -> ArchivedStory:
    return ArchivedStory(
        Listing(**entry["listing"]), tuple((p, s) for p, s in entry["files"]),
        {page: tuple(ids) for page, ids in entry["ids"].items()}, tuple((p, h) for p, h in entry["links"]),
        entry["charts"], entry["live"], tuple(_diagnostic(item) for item in entry["warnings"]), part,
        entry.get("listing_key", ""))


def _has(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _said(d: Diagnostic) -> dict:
    return {"severity": d.severity, "code": d.code, "message": d.message, "path": d.location.path,
            "line": d.location.line, "column": d.location.column, "hint": d.hint}
