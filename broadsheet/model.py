"""The frozen values that the stages hand to each other.

Nothing here does work: these are the nouns of the pipeline. Mappings are stored as tuples of
pairs or as `MappingProxyType` so that a value cannot change after a stage returns it.
"""
from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Any, Collection, Mapping, Sequence

from .diagnostics import SourceLocation

def frozen_mapping(items: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    publisher: str
    url: str
    date: str  # ISO date, or "" when the source is undated
    location: SourceLocation
    note: str = ""
    language: str = ""  # the language of its title (`language: en`), when not the story's
    wordings: tuple = ()  # (("publisher", (("fr", …), ("en", …))), …): a name, publisher or note given
    #                       per language; each field holds its first wording until facts.in_language


@dataclass(frozen=True)
class Fact:
    """One number of the story. `value` is computed for derived facts (those with a formula)."""

    key: str
    value: float | int | None
    unit: str
    as_of: str
    status: str
    note: str
    sources: tuple[str, ...]  # source keys: its own, or those of a formula's inputs
    location: SourceLocation
    formula: str = ""
    inputs: tuple[str, ...] = ()  # fact keys a formula reads, in order of appearance
    program: Any = None  # the formula as a JSON-able expression tree, for live recomputation
    units: tuple[tuple[str, str], ...] = ()  # (language, unit) when facts.yaml words the unit per language
    notes: tuple[tuple[str, str], ...] = ()  # (language, note) likewise
    query: Any = None  # queries.Query: a fact computed from one of the story's tables


@dataclass(frozen=True)
class FactSet:
    facts: Mapping[str, Fact] = field(default_factory=frozen_mapping)
    sources: Mapping[str, Source] = field(default_factory=frozen_mapping)
    path: str = ""

    def __getitem__(self, key: str) -> Fact:
        return self.facts[key]

    def __contains__(self, key: object) -> bool:
        return key in self.facts


@dataclass(frozen=True)
class Dataset:
    """A data file's table: typed rows plus the original bytes (offered as the download)."""

    name: str  # file stem: data/pay.csv -> "pay" (the file name when two files share a stem)
    path: str
    columns: tuple[str, ...]
    rows: Sequence[Mapping[str, Any]]  # read-only mappings; data.Rows (kept as columns) from a CSV
    raw: bytes
    location: SourceLocation
    document: Any = None  # a JSON file that is not an array (rows nested under a key, GeoJSON, TopoJSON)


@dataclass(frozen=True)
class DataFile:
    """A story CSV as the build sees it: checked (its problems reported, from the cache when its
    bytes were checked before). A large table read in this build travels to the chart workers
    already typed, so that no worker reads it again."""

    name: str  # file stem: data/pay.csv -> "pay"
    path: str
    raw: bytes
    digest: str  # of its bytes and path: what cache keys use
    table: bytes = b""  # a large table read in this build: its typed columns (marshal) for the workers


@dataclass(frozen=True)
class Directive:
    """A `{fact:…}` or `{chart:…}` found in a Markdown file."""

    kind: str  # "fact" | "chart"
    name: str
    style: str  # fact display style ("", "number", "compact"); "" for charts
    location: SourceLocation


@dataclass(frozen=True)
class Step:
    """One step of a scrolly block (`::: step name=value … alt="…"`): the chart state it sets, the
    alt text of that state's picture, and its paragraphs (Markdown)."""

    chart: str  # the block's chart, or the one the step names with `chart=`
    settings: tuple[tuple[str, str, SourceLocation], ...]  # (param, value as written, where)
    alt: str
    text: str
    location: SourceLocation


@dataclass(frozen=True)
class StepBlock:
    """A `::: steps chart` … `:::` block: steps that share one chart."""

    chart: str
    steps: tuple[Step, ...]
    location: SourceLocation


@dataclass(frozen=True)
class StepPicture:
    """One step's state drawn at build time, for each layout (narrow only when it differs)."""

    key: str  # content hash of the state: the pictures' file name
    chart: str
    signals_json: str  # {signal: value} the live view sets, compact JSON
    svg: str
    width: int
    height: int
    narrow_svg: str = ""
    narrow_width: int = 0
    narrow_height: int = 0


@dataclass(frozen=True)
class Section:
    path: str
    slug: str
    markdown: str
    directives: tuple[Directive, ...]
    line_offset: int  # lines before `markdown` starts in the file (front matter)
    steps: tuple[StepBlock, ...] = ()  # scrolly blocks, in text order


TABLE_ROWS = 60  # rows of a chart's data a page shows in the table under it (TableData keeps no more)


@dataclass(frozen=True)
class TableData:
    """A chart's data as shown to readers: a table (its first rows), and a CSV file to download."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # the first rows only, for a table under the chart
    csv: bytes
    total: int = -1  # rows in the whole table; -1: all of them are in `rows`
    kinds: tuple[str | None, ...] = ()  # per column: how its dates are written (a Babel pattern, "date"), or None

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.total < 0 else self.total


@dataclass(frozen=True)
class ChartSpec:
    """A chart compiled once: Vega for the live view, SVG for readers without JavaScript."""

    id: str
    path: str
    title: str
    alt: str
    caption: str
    source: str
    vega: Mapping[str, Any]
    vega_json: str  # compact, sorted: what the page embeds
    svg: str
    width: int
    height: int
    params: tuple[str, ...]  # names of the chart's bound params (sliders...)
    tables: tuple[TableData, ...]
    facts_used: tuple[str, ...] = ()  # fact keys the chart code read
    source_keys: tuple[str, ...] = ()  # sources of facts.yaml the chart names (SOURCES = [...])
    narrow: "NarrowChart | None" = None  # the chart drawn for phones, when it differs
    legend_only: tuple[str, ...] = ()  # selections bound to the legend alone (no keyboard use)
    binding_lines: int = 0  # lines of text its sliders and choices take on the page
    data_files: tuple[tuple[str, bytes], ...] = ()  # (path in the story folder, bytes): rows the live
    #                                                 view fetches, too many to sit inline in the page
    missing: str = ""  # a map with shapes drawn as missing (no value): the theme's missing colour, for its key


NARROW_MEDIA = "(max-width: 600px)"  # readers under this width get the narrow charts


@dataclass(frozen=True)
class NarrowChart:
    """The same chart drawn for a narrow screen: its SVG, and its Vega as a merge patch over
    the wide chart's (usually just the width), so the page carries the data once."""

    svg: str
    width: int
    height: int
    patch_json: str


@dataclass(frozen=True)
class Update:
    date: str
    note: str
    facts: tuple[str, ...] = ()  # facts whose published value this update changes or removes


@dataclass(frozen=True)
class Story:
    slug: str
    path: str  # the story folder, relative to the project
    title: str
    dek: str
    byline: str
    published: str
    updated: str
    language: str
    lead_chart: str
    intro: Section
    sections: tuple[Section, ...]
    facts: FactSet
    datasets: Mapping[str, DataFile]
    charts: Mapping[str, ChartSpec]
    updates: tuple[Update, ...]
    media: tuple[tuple[str, bytes], ...]  # (path inside the story, bytes)
    card: bytes | None = None  # the link-preview PNG, when drawn with the lead chart (pipeline.card_key)
    draft: bool = False  # `draft: true`: built only with --drafts (and by serve), never listed
    step_pictures: Mapping[str, StepPicture] = field(default_factory=dict)  # scrolly steps' states, by key
    front_places: tuple = ()  # (fact key, file, line, field) of facts in the title, dek and update notes
    corrections: Mapping[str, tuple] = field(default_factory=frozen_mapping)  # fact key -> its earlier
    #   published values, oldest first ({"value", "printed", "until", "note"}: corrections.py)
    folder: str = ""  # the story folder's name, which every language of the story shares ("" : slug)
    original_language: str = ""  # the language of index.md ("": this story's own)
    alternates: tuple[tuple[str, str], ...] = ()  # (language, site path) of every language of the story
    shared: str = ""  # the version whose folder holds the chart data files every language uses ("": its own)
    translations: tuple["Story", ...] = ()  # the original's translations (index.LL.md), built as stories of their own
    own_tables: tuple[str, ...] = ()  # a translation's chart tables that differ from the original's (its
    #                                    words in the rows): written and linked in its own data/ folder
    bare_numbers: bool = False  # its prose holds numbers that are not facts (`number-bare`, a warning)

    @property
    def data_slug(self) -> str:
        return self.shared or self.slug


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    language: str
    base_url: str
    absolute_url: str
    newsroom: str
    path: str
    wordings: tuple = ()  # (("description", (("fr", …), ("en", …))), …): a title, description or newsroom
    #                       given per language in site.yaml; each field holds the site language's

    def in_language(self, language: str) -> "SiteConfig":
        """The site's words as a page in `language` shows them (the site language's when not given)."""
        if not self.wordings:
            return self
        from dataclasses import replace
        return replace(self, **{name: dict(texts).get(language, getattr(self, name)) for name, texts in self.wordings})


@dataclass(frozen=True)
class Listing:
    """What the pages that list stories (home, feed, sitemap) need of one story: a loaded story
    gives it, and so does the record of a story this build took as it was (manifest.py)."""

    slug: str
    path: str
    title: str
    dek: str
    byline: str
    published: str
    updated: str
    language: str
    draft: bool
    lead: dict | None  # the lead chart's picture as the home page shows it (render.lead_picture)
    card: str  # the story's link-preview image, a site path
    alternates: tuple = ()  # (language, site path) of every language of the story (translations)


@dataclass(frozen=True)
class ArchivedStory:
    """A story whose inputs did not change since the build that wrote the output: its files are
    kept as they are, and what other pages need of it comes from that build's record."""

    listing: Listing
    files: Sequence[Sequence]  # (site path, size, …) of each file the story owns
    ids: Mapping[str, tuple[str, ...]]  # page -> the ids links may point at
    links: tuple[tuple[str, str], ...]  # (page, href) of every link on its pages
    charts: int
    has_live_charts: bool  # its pages load the chart runtime
    warnings: tuple = ()  # the warnings its build gave (Diagnostics), said again: never silent
    origin: str = ""  # the folder its files are in when not the output folder: a part (`build --assemble`)
    listing_key: str = ""  # manifest.listing_key of its listing, as recorded: "" has it computed again


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    stories: tuple[Story, ...]
    generated: dt.date
    chart_style: str = ""  # CSS that redraws live charts for a dark page (from theme.json "dark")
    archived: tuple[ArchivedStory, ...] = ()  # taken as the last build left them (manifest.py)


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output folder, with '/'
    content: bytes
    kept: int = -1  # >= 0: the file is already in the output folder with this size; keep it as it is
    origin: str = ""  # a kept file's folder when it is not the output folder (a part, `build --assemble`)


def made(cls, **fields):
    """A frozen dataclass made from every one of its fields without running its __init__ (which
    sets each field through object.__setattr__): one per story taken as it was, 10,000 in an archive.
    Anything but every field goes through the __init__, which says what is missing or unknown."""
    if fields.keys() != cls.__dataclass_fields__.keys():
        return cls(**fields)
    instance = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance


def kept_file(path: str, size: int, origin: str = "") -> OutputFile:
    """The OutputFile of a file kept as it is: made without the frozen dataclass's __init__ (one per
    file of every kept story: 45,000 in an archive of 10,000)."""
    made = object.__new__(OutputFile)
    made.__dict__.update(path=path, content=b"", kept=size, origin=origin)
    return made


class StoredFile(OutputFile):
    """An output file whose bytes stay in the cache until they are written or compared (read
    again each time): an archive's 10,000 link-preview cards need not be in memory at once."""

    def __init__(self, path: str, size: int, read: Callable[[], bytes | None]):
        for name, value in (("path", path), ("kept", -1), ("origin", ""), ("size", size), ("read", read)):
            object.__setattr__(self, name, value)

    @property
    def content(self) -> bytes:
        data = self.read()
        if data is None or len(data) != self.size:  # the cache was emptied meanwhile: the write stops, site intact
            raise FileNotFoundError(2, "a cache entry went missing while the site was being written", self.path)
        return data


class PackedFile(OutputFile):
    """A page held compressed until it is written or read: the pages of 10,000 stories, kept whole
    from render to write, would take more memory than the rest of the build."""

    def __init__(self, path: str, content: bytes):
        for name, value in (("path", path), ("kept", -1), ("origin", ""), ("size", len(content)),
                            ("packed", zlib.compress(content, 1))):
            object.__setattr__(self, name, value)

    @property
    def content(self) -> bytes:
        return zlib.decompress(self.packed)


class Contents(Mapping):
    """The bytes of output files by path, each read (unpacked, or from the cache) only when asked:
    a scan of every page holds one page at a time."""

    def __init__(self, files: Sequence[OutputFile]):
        self._files = {f.path: f for f in files}

    def __getitem__(self, path: str) -> bytes:
        return self._files[path].content

    def __contains__(self, path) -> bool:
        return path in self._files

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


@dataclass(frozen=True)
class BuildResult:
    files: tuple[OutputFile, ...]
    pages: int
    charts: int
    charts_compiled: int  # charts that were not in the cache
    diagnostics: tuple = field(default_factory=tuple)
    out: Path | None = None
    notes: tuple[str, ...] = ()  # sentences for the author, e.g. what the external link check did
    absolute_url: str = ""
    stories: int = 0


SHAPES_FOLDER = "assets/"  # where a map's light shapes are written, once for the whole site


def site_data_path(data_slug: str, name: str) -> str:
    """Where a chart's data file (`name`, as the chart names it: `data/…`) is on the site: a map's
    shapes (`data/shapes.<hash>.json`, named by their content) once for the whole site under
    assets/, so that every chart of every story drawing the same shapes at the same simplification
    fetches the same file; any other file in the story's folder."""
    if name.startswith("data/shapes."):
        return SHAPES_FOLDER + name[len("data/"):]
    return f"{data_slug}/{name}"


def story_files(files, slugs: Collection[str] | None = None) -> Callable[[str], list]:
    """slug -> the files a story's pages need that the story owns or names: those under its folder,
    and the shared shapes its pages fetch (kept with it when the story is taken as it is, or built
    in a shard). The files are grouped once: asking for each of 10,000 stories stays linear.
    `slugs`: the only stories that will be asked for (their first folders), when known."""
    grouped: dict[str, list] = {}
    tops = None if slugs is None else {slug.split("/", 1)[0] for slug in slugs}
    for f in files:  # under SLUG/ or LL/SLUG/: the first one and two levels of each path
        if tops is not None and f.path[:f.path.find("/")] not in tops:
            continue
        parts = f.path.split("/", 2)
        if len(parts) > 1:
            grouped.setdefault(parts[0], []).append(f)
        if len(parts) > 2:
            grouped.setdefault(parts[0] + "/" + parts[1], []).append(f)
    shapes = [f for f in files if f.path.startswith(SHAPES_FOLDER + "shapes.")]

    def of(slug: str) -> list:
        own = grouped.get(slug, [])
        if not shapes:
            return list(own)
        pages = [f.content for f in own if f.path.endswith(".html")]  # each read (unpacked) once
        pages = [page for page in pages if isinstance(page, bytes)]
        return own + [f for f in shapes if any(f.path[len(SHAPES_FOLDER):].encode() in page for page in pages)]
    return of
