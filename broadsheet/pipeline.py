"""The build, as DESIGN.md's list of phases: read and check everything, then write (house rule 1).

    load -> check -> render -> plan -> links -> write

Nothing is written unless every phase before `write` succeeded; author problems stop the build
with `BuildFailed`, which carries all of them. `check()` runs the same phases and writes nothing.
What overlaps phases to make a build faster lives in `schedule`, switchable off (`overlap`).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import feeds, i18n, ledger, schedule, yamlmap
from .cache import DiskCache, NoCache, current, digest, engine_fingerprint, keep_current, user_cache_dir
from .collector import bulk
from .diagnostics import (BuildFailed, Report, SourceLocation, decode_utf8, did_you_mean, error, relative_path,
                          unreadable, warning)
from .manifest import listing_keys
from .model import BuildResult, Contents, OutputFile, Site, SiteConfig, StoredFile, kept_file, site_data_path, story_files
from .yamlmap import LineDict, as_text

STABLE_ASSETS = {"js/embed.js"}  # pasted into other sites' pages: its URL must never change
SITE_FIELDS = ("title", "description", "language", "base_url", "absolute_url", "newsroom")
WORDED_SITE_FIELDS = ("title", "description", "newsroom")  # each may be given per language: {fr: …, en: …}


@dataclass(frozen=True)
class BuildOptions:
    project: Path
    content: Path
    site_src: Path
    out: Path
    base_url: str | None = None
    strict: bool = False
    use_cache: bool = True
    check_external: bool = False
    jobs: int | None = 1  # processes compiling charts; None: one per core (the CLI's default)
    cache_dir: Path | None = None
    env: dict = field(default_factory=dict)  # SOURCE_DATE_EPOCH and friends; os.environ when empty
    overlap: bool = True  # schedule's speed tricks; False runs the phases one after the other (same site)
    chart_limits: Any = None  # charts.ChartLimits: time and memory for a chart's code; None: the defaults
    drafts: bool = False  # build stories marked `draft: true` too (serve does; never listed)
    reuse: bool = False  # take unchanged stories as the last build into `out` left them (manifest.py)
    shard: tuple[int, int] | None = None  # (I, N): build only shard I of N's stories, into a part (no site pages)
    parts: tuple[Path, ...] = ()  # assemble: take the stories these parts hold, make the site's pages
    cache_url: str = ""  # a remote cache shared by machines (remote_cache.py); "" sends nothing anywhere
    published: Path | None = None  # the site as published, whose facts.json a changed fact must announce; None: `out`
    watched: Any = None  # the preview's manifest.Watched: its record kept in memory, what its watcher saw change
    one_shot: bool = False  # the process ends with this build (the command line's): what it reads is never collected

    @functools.cached_property
    def cache(self):
        """The build's one cache: the project's folder, and the user's for what no project changes
        (the chart runtime, the Vega engine's bundle, font widths). `--no-cache`: neither. One
        object for every build with these options (the preview's too): it remembers which
        folders it must leave alone, and what it found wrong until that is reported."""
        if not self.use_cache:
            return NoCache()
        return DiskCache(self.cache_dir or self.project / ".cache" / "broadsheet", user_cache_dir(self.env or os.environ),
                         remote_cache_of(self))


def remote_cache_of(options: BuildOptions):
    """The remote cache `cache_url` names (remote_cache.py), or None; its time limit comes from
    BROADSHEET_CACHE_TIMEOUT when set."""
    from .remote_cache import REMOTE_TIMEOUT, RemoteCache

    if not options.cache_url:
        return None
    raw = (options.env or os.environ).get("BROADSHEET_CACHE_TIMEOUT", "")
    try:
        timeout = float(raw) if raw and 0 < float(raw) < 3600 else REMOTE_TIMEOUT
    except ValueError:
        timeout = REMOTE_TIMEOUT
    return RemoteCache(options.cache_url, timeout)


@dataclass(frozen=True)
class Loaded:
    """Everything read and checked: the site `render` needs, and the problems found on the way."""

    site: Site | None
    diagnostics: tuple
    charts_compiled: int
    drafts_left_out: tuple[str, ...] = ()  # story folders marked `draft: true`, not built without --drafts
    stamps: dict = field(default_factory=dict)  # slug -> (key, inputs) of every story, with --reuse
    records: object = None  # manifest.Records of the output folder, with --reuse


@dataclass(frozen=True)
class Rendered:
    """The pages, and the names they gave the files they link to."""

    pages: tuple[OutputFile, ...]
    static: dict  # {path: bytes} of site_src/static, the chart runtime included
    cards: dict  # {story slug: path of its card}
    listings: tuple = ()  # every story as the home page, the feed and the sitemap see it
    card_files: dict = field(default_factory=dict)  # {path: card} of the cards the cache held
    drawing: tuple = ()  # (path, key, task) of the cards drawn meanwhile, by the chart compiler's workers


def build(options: BuildOptions, writer) -> BuildResult:
    """Load, check, render, plan, check the links, then write through `writer`; raises
    BuildFailed on author errors (nothing written)."""
    with schedule.overlapping(options) as run:
        loaded = load(options, run)
        stop_if_failing(loaded.diagnostics, options, loaded.site is None)
        diagnostics = loaded.diagnostics + tuple(site_checks(loaded.site))
        stop_if_failing(diagnostics, options)
        rendered = render(loaded.site, options, run)
        files = plan(loaded.site, rendered, options, run)
        link_problems, notes = check_links(files, loaded.site, options)
        if options.shard:
            files = part_of(loaded, rendered, files, options)
        notes += assembly_notes(loaded.site, options)
        notes += tuple(f"{path}{'' if path.endswith('.md') else '/'} is a draft (`draft: true`): not built; "
                       "`--drafts` builds it, unlisted"
                       for path in loaded.drafts_left_out)
        diagnostics += tuple(link_problems)
        stop_if_failing(diagnostics, options)
    diagnostics += tuple(options.cache.diagnostics(options.project))
    writer.write(files)
    site = loaded.site
    if options.reuse:
        record_stories(loaded, rendered, files, options)
    return BuildResult(tuple(files), page_count(files),
                       sum(len(s.charts) for s in site.stories) + sum(s.charts for s in site.archived),
                       loaded.charts_compiled, diagnostics, options.out, notes, site.config.absolute_url,
                       len(site.stories) + len(site.archived))


def check(options: BuildOptions) -> BuildResult:
    """Everything `build` does except writing: the same phases, into a writer that keeps nothing.
    Raises BuildFailed as `build` does."""
    from .output import MemoryWriter

    return build(options, MemoryWriter())


def record_stories(loaded: Loaded, rendered: Rendered, files: list[OutputFile], options: BuildOptions) -> None:
    """What this build wrote for each story, so that the next one into `options.out` can skip it."""
    from . import links, manifest

    by_slug = {listing.slug: listing for listing in rendered.listings}
    entries = {}
    versions: dict[str, list[str]] = {}  # a folder -> the site paths of its other languages
    for story in loaded.site.stories:
        if story.folder and story.slug != story.folder:
            versions.setdefault(story.folder, []).append(story.slug)
    files_of = story_files(files, [story.slug for story in loaded.site.stories])
    for story in loaded.site.stories:
        key, inputs = loaded.stamps.get(story.folder or story.slug, ("", {}))
        own = files_of(story.slug)
        dated = any(line.startswith("stale_after:") for line in inputs and _front_lines(options, story) or ())
        warnings = [d for d in loaded.diagnostics if d.location.path.startswith(story.path + "/")
                    and d.code not in ("fact-changed", "fact-removed")  # once written, that value is the published one
                    and not (story.folder and story.slug != story.folder)]  # a folder's: said once, by SLUG/
        entries[story.slug] = manifest.built_record(
            by_slug[story.slug], key, inputs, own, options.out, links.scan(pages_of(own)),
            len(story.charts), bool(story.charts), loaded.records.today if dated else "", warnings)
        if versions.get(story.slug):  # the story at SLUG/ names its other languages, kept with it
            entries[story.slug]["versions"] = sorted(versions[story.slug])
    for story in loaded.site.archived:
        key, inputs = loaded.stamps[story.listing.slug.rsplit("/", 1)[-1]]  # LL/SLUG: the folder SLUG's
        entries[story.listing.slug] = loaded.records.kept(story.listing.slug, key, inputs)
    loaded.records.save(entries)


def pages_of(files: list[OutputFile]) -> Contents:
    """The pages among `files`, for links.scan (which reads only pages, one at a time): a card is not read."""
    return Contents([f for f in files if f.path.endswith(".html")])


def _front_lines(options: BuildOptions, story) -> list[str]:
    """The lines of a story's index.md (for what the record must know of its front matter)."""
    try:
        return (options.project / story.path / "index.md").read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def stop_if_failing(diagnostics, options: BuildOptions, no_site: bool = False) -> None:
    """Stop the build when a phase found an error (or a warning, with --strict); what the cache
    found wrong is said too."""
    if no_site or any(d.counts_as_error(options.strict) for d in diagnostics):
        raise BuildFailed(tuple(diagnostics) + tuple(options.cache.diagnostics(options.project)), options.strict)


def page_count(files) -> int:
    return sum(1 for f in files if f.path.endswith(".html") and "/embed/" not in f.path)  # embeds: one per chart


def load(options: BuildOptions, run: schedule.Schedule) -> Loaded:
    """Read and check the whole site, story by story. Never writes anything but cache entries.
    Charts compile through the schedule's compiler (in this process, or in its workers)."""
    from . import folders as story_folders

    report = Report()
    config = load_site_config(options, report)
    theme, theme_text = load_theme(options, report)
    if not options.content.is_dir():
        report.add(error("content-missing", "content folder not found",
                         SourceLocation(relative_path(options.content, options.project)),
                         "run from the project folder, or pass --content DIR"))
        return Loaded(None, report.sorted(), 0)
    with bulk(keep=options.one_shot):  # the record of every story and the stamps of every folder
        unchanged = unchanged_stories(options)
        folders, found = story_folders.survey(options.content, options.project,  # discover, and say what would vanish
                                             unchanged.settled if unchanged else None, getattr(unchanged, "trusts", None))
    report.extend(getattr(unchanged, "problems", ()))
    report.extend(found)
    if not folders and not found:
        report.add(warning("site-empty", "the content folder holds no story",
                           SourceLocation(relative_path(options.content, options.project)),
                           "create content/<slug>/index.md, or run `broadsheet new <slug>`"))
    if options.shard:  # an empty shard is no empty site
        folders = in_shard(folders, options.shard)
    archived = [story for folder in folders if unchanged and folder.name in unchanged.kept
                for story in unchanged.kept[folder.name]]
    folders = [folder for folder in folders if not (unchanged and folder.name in unchanged.kept)]
    for story in archived:
        report.extend(story.warnings)
    started = read_stories(folders, options, config, (theme, theme_text), run)  # charts compile meanwhile
    stories, compiled = [], 0
    for index, finish in enumerate(started):
        loaded_story, problems, count = finish()
        report.extend(problems)
        compiled += count
        if loaded_story is not None:
            stories += [replace(loaded_story, translations=()), *loaded_story.translations]
            run.story_loaded(loaded_story, config, count, index == len(started) - 1,
                             bool(report.errors(options.strict)))
    stories = corrected(stories, options, report)
    left_out = () if options.drafts else drafts_left_out(stories)
    stories = published_languages([story for story in stories if options.drafts or not story.draft])
    report.extend(language_problems(options, config, stories))
    site = Site(config, tuple(stories), generated_date(options), live_chart_style(theme), tuple(archived))
    return Loaded(site, report.sorted(), compiled, left_out, unchanged.stamps if unchanged else {},
                  getattr(unchanged, "records", None))


def read_stories(folders: list[Path], options: BuildOptions, config: SiteConfig, theme: tuple[dict, str],
                 run: schedule.Schedule) -> list:
    """Start reading each story folder the build does not take as it was: a `finish()` per folder.
    The reading of stories is imported only when there is one to read."""
    if not folders:
        return []
    from . import story as story_module

    ctx = story_module.StoryContext(options.project, config.language, config.newsroom, *theme,
                                    options.cache, options.strict, run.compiler, run.card_site_title(config),
                                    generated_date(options),
                                    lambda language: catalogs_for(options)(language).gettext)
    return [story_module.start_story(folder, ctx) for folder in folders]


def drafts_left_out(stories: list) -> tuple[str, ...]:
    """What a build without --drafts leaves out, as the author names it: a story folder, or one
    translation's index.LL.md (the translations of a draft story go with it, unsaid)."""
    draft_folders = {story.path for story in stories if story.draft and not story.original_language}
    return tuple(dict.fromkeys(
        story.path + (f"/index.{story.language}.md" if story.original_language else "") for story in stories
        if story.draft and not (story.original_language and story.path in draft_folders)))


def published_languages(stories: list) -> list:
    """Each story's languages as this build publishes them: a translation left out as a draft is
    neither linked by the switcher nor named by hreflang."""
    built = {(story.folder or story.slug, story.language) for story in stories}
    kept = []
    for story in stories:
        languages = tuple((lang, path) for lang, path in story.alternates if (story.folder or story.slug, lang) in built)
        kept.append(replace(story, alternates=languages if len(languages) > 1 else ()) if story.alternates else story)
    return kept


def corrected(stories: list, options: BuildOptions, report: Report) -> list:
    """Each story against its published facts.json (corrections.py): its corrections, and the facts
    that changed or went without an `updates:` entry naming them."""
    from . import corrections

    folder = options.published or options.out
    if options.published is not None and not options.published.is_dir():
        report.add(error("published-missing", f"--published {options.published}: no such folder",
                         SourceLocation(str(options.published)),
                         "give the folder of the site as published (a copy of it), whose <story>/facts.json "
                         "the facts are compared with"))
    result = []
    for story in stories:
        before, problems = corrections.published(folder, story.slug)
        story, found = corrections.apply(
            story, before, lambda value, unit, language=story.language: i18n.format_value(value, unit, language))
        report.extend(problems + found)
        result.append(story)
    return result


def unchanged_stories(options: BuildOptions):
    """With `reuse`, what tells which stories the last build into `options.out` left as they are."""
    from . import manifest

    if not (options.reuse or options.parts):
        return None
    site_key = site_key_of(options)
    if site_key is None:
        return None
    if options.parts:
        return manifest.Parts(options.parts, site_key, lambda path: relative_path(path, options.project))
    today, watched = generated_date(options).isoformat(), options.watched
    if watched is not None and watched.records is not None and watched.records.out == options.out:
        records, changed = watched.records, watched.changed if watched.records.site == site_key else None
        records.today, records.site = today, site_key
    else:
        records, changed = manifest.Records(options.cache, options.out, today, site_key), None
    if watched is not None:
        watched.records = records
    return manifest.Unchanged(records, site_key, options.out, changed)


def site_key_of(options: BuildOptions) -> str | None:
    """manifest.site_key of this build; None when a site file cannot be read (the build says why)."""
    from . import manifest

    site_yaml = options.content / "site.yaml"
    try:
        return manifest.site_key(options.site_src, site_yaml.read_bytes() if site_yaml.is_file() else b"",
                                 f"base_url={options.base_url}|drafts={options.drafts}"
                                 f"|published={published_key(options)}")
    except OSError:
        return None


def in_shard(folders: list[Path], shard: tuple[int, int]) -> list[Path]:
    """The story folders shard I of N builds (`build --shard I/N`)."""
    from .manifest import shard_of

    number, shards = shard
    return [folder for folder in folders if shard_of(folder.name, shards) == number]


def part_of(loaded: Loaded, rendered: Rendered, files: list[OutputFile], options: BuildOptions) -> list[OutputFile]:
    """What a shard writes: its stories' own files and the part record `--assemble` reads. The
    site's pages (home, archive pages, feed, sitemap) and assets are the assembly's to make."""
    from . import links, manifest

    listings = {listing.slug: listing for listing in rendered.listings}
    site_key, entries, own, taken = site_key_of(options) or "", {}, [], set()
    files_of = story_files(files)
    for story in loaded.site.stories:
        mine = [f for f in files_of(story.slug) if f.path not in taken]  # shared shapes: in one part
        taken.update(f.path for f in mine)
        key, _ = manifest.stamped(options.project / story.path, site_key)
        translation = bool(story.folder) and story.slug != story.folder
        warnings = [d for d in loaded.diagnostics if d.location.path.startswith(story.path + "/") and not translation]
        entries[story.slug] = manifest.part_entry(listings[story.slug], key, mine,
                                                  links.scan(pages_of(mine)),
                                                  len(story.charts), bool(story.charts), warnings)
        own += mine
    for story in loaded.site.stories:  # the story at SLUG/ names its other languages, taken with it
        if story.folder and story.slug != story.folder and story.folder in entries:
            entries[story.folder].setdefault("versions", []).append(story.slug)
    return own + [manifest.part_file(site_key, options.shard, entries)]


def assembly_notes(site: Site, options: BuildOptions) -> tuple[str, ...]:
    """With --assemble, the stories no part held as they are here (built by the assembly itself)."""
    if not options.parts or not site.stories:
        return ()
    names = ", ".join(story.slug for story in site.stories[:5]) + (", …" if len(site.stories) > 5 else "")
    return (f"{len(site.stories)} of {len(site.stories) + len(site.archived)} stories were in no part, or changed "
            f"since their shard built them: built here ({names})",)


def published_key(options: BuildOptions) -> str:
    """With `--published DIR` (another folder than `out`), what its ledgers hold: a story kept as
    it was must be rebuilt when the published values it is compared with change."""
    if options.published is None:
        return ""
    try:
        ledgers = sorted(options.published.glob("*/facts.json"))
        return digest(*[part for path in ledgers for part in (path.parent.name, path.read_bytes())])
    except OSError:
        return "unreadable"


def load_theme(options: BuildOptions, report: Report) -> tuple[dict, str]:
    """site_src/theme.json: (the theme, its text, which chart cache keys include)."""
    theme_path = options.site_src / "theme.json"
    theme_text = theme_path.read_text("utf-8") if theme_path.is_file() else "{}"
    try:
        return json.loads(theme_text), theme_text
    except json.JSONDecodeError as exc:
        report.add(error("theme-json", f"theme.json is not valid JSON: {exc.msg}",
                         SourceLocation(relative_path(theme_path, options.project), exc.lineno, exc.colno),
                         "fix the JSON syntax"))
        return {}, theme_text


def generated_date(options: BuildOptions) -> dt.date:
    """The day the site was built, as the footer says and as a story's `stale_after:` counts back
    from: SOURCE_DATE_EPOCH's when set (reproducible builds), else today's (UTC). The newest story's
    date would claim a build that never happened."""
    epoch = (options.env or os.environ).get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (OverflowError, ValueError, OSError):
            pass  # a date past year 9999: today instead
    return dt.datetime.now(dt.timezone.utc).date()


def load_site_config(options: BuildOptions, report: Report) -> SiteConfig:
    path = options.content / "site.yaml"
    rel = relative_path(path, options.project)
    values: dict = {}
    wordings: dict = {}
    try:
        raw = path.read_bytes() if path.is_file() else None
    except OSError as exc:
        report.add(unreadable(rel, exc))
        raw = None
    if raw is not None:
        text, problems = decode_utf8(raw, rel)
        report.extend(problems)
        loaded = yamlmap.load(text or "", rel)
        report.extend(loaded.diagnostics)
        data = loaded.data if isinstance(loaded.data, LineDict) else LineDict()
        if not loaded.diagnostics and loaded.data is not None and not isinstance(loaded.data, LineDict):
            report.add(error("site-shape", "site.yaml is not a mapping of fields", SourceLocation(rel, 1),
                             "write one `field: value` a line: title, description, language, base_url, …"))
        for key in data:
            if key not in SITE_FIELDS:
                report.add(warning("site-field", f"unknown field '{key}' in site.yaml",
                                   SourceLocation(rel, data.line_of(key), data.column_of(key)),
                                   f"{did_you_mean(str(key), SITE_FIELDS)}fields are {', '.join(SITE_FIELDS)}"))
        values = {key: as_text(data.get(key)).strip() for key in SITE_FIELDS if not isinstance(data.get(key), dict)}
        wordings = {key: {str(k): as_text(v).strip() for k, v in data[key].items()}
                    for key in WORDED_SITE_FIELDS if isinstance(data.get(key), dict)}
    language = values.get("language") or "fr"
    for key, texts in wordings.items():  # a field given per language: the site language's stands for it
        values[key] = texts.get(language) or next(iter(texts.values()), "")
    if not i18n.is_known_language(language):
        where = SourceLocation(rel, data.line_of("language"), data.column_of("language")) if values else \
            SourceLocation(rel, 1)
        report.add(error("site-language", f"unknown language '{language}'", where,
                         "use a language code such as fr, en, de, pt-BR"))
        language = "en"
    absolute_url = values.get("absolute_url", "")
    if absolute_url and not re.match(r"^https?://[^/\s?#]+(/\S*)?$", absolute_url):
        report.add(error("site-absolute-url", f"absolute_url '{absolute_url}' is not a web address",
                         SourceLocation(rel, data.line_of("absolute_url"), data.column_of("absolute_url")),
                         "write the address the site is published at: `absolute_url: https://example.org/news/`"))
        absolute_url = ""
    base_url = options.base_url if options.base_url is not None else (values.get("base_url") or "/")
    base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    return SiteConfig(values.get("title") or "Broadsheet", values.get("description", ""), language, base_url,
                      absolute_url, values.get("newsroom") or values.get("title") or "", rel,
                      tuple((key, tuple(texts.items())) for key, texts in sorted(wordings.items())))


def render(site: Site, options: BuildOptions, run: schedule.Schedule) -> Rendered:
    """Every page of the site, in memory (Jinja2), with the names of the files it links to:
    assets by content hash, chart pictures, cards (named by what they show, before they are drawn)."""
    from . import render as render_module
    from .charts import page_runtime
    from .output import content_name

    run.compiler.charts_done()
    static, assets = static_assets(options)
    if any(story.charts for story in site.stories) or any(story.has_live_charts for story in site.archived):
        runtime = page_runtime(options.cache, run.prefetched_runtime())
        assets["vega.js"] = "assets/" + content_name("vega.js", runtime)
        static[assets["vega.js"]] = runtime
    charts = {key: path for story in site.stories for key, (path, _) in chart_images(story).items()}
    card_keys = {story.slug: card_key(story, site) for story in site.stories}
    cards = {slug: f"{slug}/card.{key[:10]}.png" for slug, key in card_keys.items()}
    card_files, drawing = cards_to_draw(site, card_keys, cards, options, run)  # drawn while the pages render
    locations = render_module.Locations(assets, charts, cards)
    every = tuple(render_module.listings(site, locations))
    try:
        pages = render_module.render_site(site, environment(options), locations, options.project, options.cache,
                                          catalogs_for(options), (every, listing_keys(every, site.archived)))
    except render_module.TemplateProblem as problem:
        raise BuildFailed((problem.diagnostic,)) from None
    return Rendered(tuple(pages), static, cards, every, card_files, tuple(drawing))


def plan(site: Site, rendered: Rendered, options: BuildOptions, run: schedule.Schedule) -> list[OutputFile]:
    """Every file of the site: assets, pages, chart pictures and data, cards, media, ledgers, feeds.
    The cards the workers drew while the pages rendered are collected here."""
    files = {**rendered.static, **rendered.card_files}
    for story in site.stories:
        for path, svg in chart_images(story).values():
            files[path] = svg
        for chart in story.charts.values():
            for table in chart.tables if not story.shared or story.shared == story.slug else ():
                files[f"{story.slug}/data/{table.name}.csv"] = table.csv
            for table in chart.tables if story.shared and story.shared != story.slug else ():
                if table.name in story.own_tables:  # a translation's own words in a chart's rows
                    files[f"{story.slug}/data/{table.name}.csv"] = table.csv
            if story.shared and story.shared != story.slug:
                continue
            for name, content in chart.data_files:
                files[site_data_path(story.slug, name)] = content  # a map's shapes: once for the site
        for media_path, content in story.media:
            files[f"{story.slug}/{media_path}"] = content
        files[f"{story.slug}/facts.json"] = ledger.facts_json(story, catalogs_for(options)(story.language).gettext)  # the ledger: every number and its source
    for page in rendered.pages:
        files[page.path] = page
    for story in site.archived:
        for kept in story.files:
            files[kept[0]] = kept_file(kept[0], kept[1], story.origin)
    for path, key, task in rendered.drawing:
        files[path] = drawn_card(options.cache, path, key, task.result())
    pages = [p.path for p in rendered.pages] + [kept[0] for story in site.archived for kept in story.files]
    if site.config.absolute_url:
        files.update(site_maps(site, rendered, pages, options))
    files["robots.txt"] = feeds.robots(site)
    for language in feeds.feed_languages(site, rendered.listings):  # one Atom feed per language
        path = "feed.xml" if language == site.config.language else f"{language}/feed.xml"
        files[path] = feeds.atom(site, rendered.listings, language=language)
    return [files[path] if isinstance(files[path], OutputFile) else OutputFile(path, files[path])
            for path in sorted(files) if files[path] is not None]


def site_maps(site: Site, rendered: Rendered, pages: list[str], options: BuildOptions) -> dict[str, bytes]:
    """feeds.sitemaps, kept in the cache under what they list: the same pages, each story with the
    same date, languages and draft state (a prose or a chart edit in an archive changes none). One
    entry per site, replaced when they change: an archive's sitemap is megabytes."""
    also = ledger_alternates(options, rendered.listings)
    pages = sorted(page for page in pages if page.endswith(".html"))  # all a sitemap lists: no card, no data
    stories = sorted(f"{s.slug}\0{s.updated}\0{s.draft}\0{s.language}\0"
                     + (json.dumps(s.alternates) if s.alternates else "") for s in rendered.listings)
    key = digest("sitemaps-v2", engine_fingerprint(), repr(site.config), json.dumps(also, sort_keys=True),
                 *stories, "", *pages)
    slot = digest("sitemaps", engine_fingerprint(), repr(site.config))
    held = current(options.cache, "sitemaps", slot, key)
    if isinstance(held, dict) and all(isinstance(text, str) for text in held.values()):
        return {name: text.encode("utf-8") for name, text in held.items()}
    made = feeds.sitemaps(site, rendered.listings, pages, also=also)
    keep_current(options.cache, "sitemaps", slot, key, {name: text.decode("utf-8") for name, text in made.items()})
    return made


def cards_to_draw(site: Site, keys: dict, paths: dict, options: BuildOptions,
                  run: schedule.Schedule) -> tuple[dict, list[tuple]]:
    """({path: card} of the cards the cache holds, or drawn with their lead chart; [(path, key,
    task)] of the others, handed to the chart compiler's workers to be drawn meanwhile)."""
    from .charts import with_media_inlined

    held, drawing = {}, []
    for story in site.stories:
        key, path = keys[story.slug], paths[story.slug]
        card = options.cache.get("cards", key)
        if card is None and story.card is not None:  # drawn with the lead chart, from the same inputs
            card = story.card
            options.cache.put("cards", key, card)
        if card is not None:
            held[path] = stored(options.cache, "cards", key, path, card)
            continue
        lead = lead_chart(story)
        svg = with_media_inlined(lead.svg, dict(story.media)) if lead else None
        drawing.append((path, key, run.compiler.card(story.title, site.config.title, svg, key)))
    return held, drawing


def drawn_card(cache, path: str, key: str, drawn: int | bytes):
    """The file of a card a worker drew: read from the cache it kept it in (`drawn`, its size), or
    its bytes when that cache could not keep them."""
    if isinstance(drawn, int):
        cache.share("cards", key)
        return StoredFile(path, drawn, functools.partial(cache.get, "cards", key))
    cache.put("cards", key, drawn)
    return stored(cache, "cards", key, path, drawn)


def stored(cache, namespace: str, key: str, path: str, content: bytes):
    """The file at `path`, its bytes read from the project cache when it is written (a StoredFile),
    when that cache holds them; else the bytes themselves."""
    if cache.holds_here(namespace, key):
        return StoredFile(path, len(content), functools.partial(cache.get, namespace, key))
    return content


def static_assets(options: BuildOptions) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files of site_src/static as the site names them ({path: bytes}, {logical name: path}):
    scripts and styles by their content's hash, so a new version is never served from a cache."""
    from .output import content_name

    files: dict[str, bytes] = {}
    assets: dict[str, str] = {}
    static = options.site_src / "static"
    for path in sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []:
        logical = path.relative_to(static).as_posix()
        content = path.read_bytes()
        hashed = path.suffix in (".css", ".js") and logical not in STABLE_ASSETS
        name = "assets/" + (content_name(logical, content) if hashed else logical)
        assets[logical] = name
        files[name] = content
    return files, assets


def chart_images(story) -> dict[tuple[str, str], tuple[str, bytes]]:
    """A story's chart pictures: (slug, chart id) and (slug, "id/narrow") -> (path, SVG bytes)."""
    from .charts import with_media_inlined
    from .output import content_name

    images = {}
    media = dict(story.media)
    for chart in story.charts.values():
        svg = with_media_inlined(chart.svg, media).encode("utf-8")
        images[(story.slug, chart.id)] = (content_name(f"{story.slug}/charts/{chart.id}.svg", svg), svg)
        if chart.narrow is not None:
            small = with_media_inlined(chart.narrow.svg, media).encode("utf-8")
            images[(story.slug, chart.id + "/narrow")] = (
                content_name(f"{story.slug}/charts/{chart.id}-narrow.svg", small), small)
    for key, drawn in getattr(story, "step_pictures", {}).items():  # scrolly steps' states
        svg = drawn.svg.encode("utf-8")
        images[(story.slug, f"step/{key}")] = (content_name(f"{story.slug}/charts/{drawn.chart}-step-{key}.svg", svg), svg)
        if drawn.narrow_svg:
            small = drawn.narrow_svg.encode("utf-8")
            images[(story.slug, f"step/{key}/narrow")] = (
                content_name(f"{story.slug}/charts/{drawn.chart}-step-{key}-narrow.svg", small), small)
    return images


def catalogs_for(options: BuildOptions):
    """language -> its Catalog of page words (site_src/locale), compiled once and cached."""
    from . import catalogs

    return lambda language: catalogs.load(options.site_src / "locale", language, options.cache)


def ledger_alternates(options: BuildOptions, listings) -> dict[str, tuple]:
    """Each translated story's "how we know" page in each of its languages (its folder is each
    language's: `comment-nous-le-savons/`, `how-we-know/`), for the sitemap: {page: (alternates,
    the default's path)}, the default being the one under the story's `SLUG/`."""
    words = catalogs_for(options)
    found = {}
    for story in (s for s in listings if s.alternates and not s.draft):
        paths = tuple((language, f"{path}{ledger.page_path_in(words(language).gettext)}/")
                      for language, path in story.alternates)
        default = next((page for (_, path), (_, page) in zip(story.alternates, paths) if "/" not in path.rstrip("/")), "")
        found.update({f"{page}index.html": (paths, default) for _, page in paths})
    return found


def language_problems(options: BuildOptions, config: SiteConfig, stories) -> list:
    """`i18n-missing` for each language the site speaks whose catalog is absent or incomplete."""
    from . import catalogs

    used = {config.language: SourceLocation(config.path, 1)}
    for story in stories:
        used.setdefault(story.language, SourceLocation(story.path + "/index.md", 1))
    return catalogs.problems(options.site_src / "locale", used, options.project, options.cache)


def environment(options: BuildOptions):
    """The Jinja2 environment of site_src/templates, its compiled templates kept in the cache."""
    from . import render

    return render.make_environment(options.site_src / "templates", options.cache)


def live_chart_style(theme) -> str:
    from .charts import live_chart_style as style

    return style(theme)


def site_checks(site: Site) -> list:
    """Problems only a site about to be published has (checked once everything else is right)."""
    if site.config.absolute_url:
        return []
    return [warning("site-no-absolute-url", "site.yaml sets no absolute_url", SourceLocation(site.config.path, 1),
                    "add `absolute_url: https://…/` (where the site is published) for canonical links, "
                    "link previews (Open Graph) and the sitemap")]


def lead_chart(story):
    """The chart a story's card shows: its lead chart, else its first."""
    return story.charts.get(story.lead_chart) or next(iter(story.charts.values()), None)


def card_key(story, site: Site) -> str:
    """What a story's 1200x630 link-preview image shows: it is drawn again only when that changes."""
    from .charts import with_media_inlined

    chart = lead_chart(story)
    svg = with_media_inlined(chart.svg, dict(story.media)) if chart else ""
    return digest("card-v7", story.title, site.config.title, svg, _drawing_version())


@lru_cache(maxsize=1)
def _drawing_version() -> str:
    """vl-convert's version: asked once, since importlib.metadata reads the package's files each time."""
    from importlib.metadata import version

    return version("vl-convert-python")


def check_links(files: list[OutputFile], site: Site, options: BuildOptions) -> tuple[list, tuple[str, ...]]:
    """Internal links always; outside links when asked (and when a network answers)."""
    from . import links, render as render_module

    contents = Contents([f for f in files if f.kept < 0 and f.path.endswith(".html")])  # what scan reads
    kept = {f.path for f in files if f.kept >= 0 or not f.path.endswith(".html")}
    deferred = None
    if options.shard:  # only the stories' pages are the shard's; links that leave a story wait for the assembly
        from .manifest import outside

        slugs = {story.slug for story in site.stories}
        kept |= {path for path in contents if path.split("/", 1)[0] not in slugs}
        contents = Contents([f for f in files if f.path in contents and f.path.split("/", 1)[0] in slugs])
        deferred = lambda link: outside(link, link.page.split("/", 1)[0])  # noqa: E731
    ids = {}
    for story in site.archived:
        ids.update(story.ids)  # lists of ids, as recorded: asked only for a #fragment
    archived_links = [links.Link(page, href) for story in site.archived for page, href in story.links]
    problems = links.check_internal(contents, site, kept, ids, archived_links, deferred, options.cache,
                                    render_module.lists_stories)  # their scans are kept: the same each build
    notes: tuple[str, ...] = ()
    if options.check_external:
        external, note = links.check_external(contents, site)
        problems += external
        notes = (note,)
    return problems, notes
