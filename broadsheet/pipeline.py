"""The build, as a list of phases: read and check everything, then write (house rule 1).

    discover -> load (per story) -> check -> assets -> render -> plan -> write

Nothing is written unless every phase before `write` succeeded; author problems stop the
build with `BuildFailed`, which carries all of them.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import feeds, i18n, yamlmap
from .cache import DiskCache, NoCache, digest, user_cache_dir
from .diagnostics import (BuildFailed, Report, SourceLocation, decode_utf8, did_you_mean, error, relative_path,
                          warning)
from .model import BuildResult, OutputFile, Site, SiteConfig
from .yamlmap import LineDict, as_text

STABLE_ASSETS = {"js/embed.js"}  # pasted into other sites' pages: its URL must never change
SITE_FIELDS = ("title", "description", "language", "base_url", "absolute_url", "newsroom")


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

    @property
    def cache(self):
        if not self.use_cache:
            return NoCache()
        return DiskCache(self.cache_dir or self.project / ".cache" / "broadsheet")

    @property
    def user_cache(self):
        """What does not depend on the project (the chart runtime): kept once per user."""
        if not self.use_cache:
            return NoCache()
        return DiskCache(user_cache_dir(self.env or os.environ))


@dataclass(frozen=True)
class Loaded:
    """Everything read and checked: what `render` needs, and what `check` reports."""

    site: Site | None
    diagnostics: tuple
    charts_compiled: int
    notes: tuple[str, ...] = ()


def load(options: BuildOptions, compiler=None, prerender: bool = False) -> Loaded:
    """Read and check the whole site. Never writes anything but cache entries. Charts compile
    through `compiler` (a ChartCompiler: in this process, or in its workers). With `prerender`,
    each story's sections are rendered as soon as its charts are compiled (StoryPrerender)."""
    from . import story as story_module

    report = Report()
    root = options.project
    config = load_site_config(options, report)
    theme_path = options.site_src / "theme.json"
    theme_text = theme_path.read_text("utf-8") if theme_path.is_file() else "{}"
    try:
        theme = json.loads(theme_text)
    except json.JSONDecodeError as exc:
        report.add(error("theme-json", f"theme.json is not valid JSON: {exc.msg}",
                         SourceLocation(relative_path(theme_path, root), exc.lineno, exc.colno), "fix the JSON syntax"))
        theme = {}
    if compiler is None:
        from .charts import ChartCompiler
        compiler = ChartCompiler(1)
    ctx = story_module.StoryContext(root, config.language, config.newsroom, theme, theme_text, options.cache,
                                    options.strict, compiler, config.title)
    stories = []
    compiled = 0
    if not options.content.is_dir():
        report.add(error("content-missing", "content folder not found",
                         SourceLocation(relative_path(options.content, root)),
                         "run from the project folder, or pass --content DIR"))
        return Loaded(None, report.sorted(), 0)
    folders = story_module.discover(options.content)
    if not folders:
        report.add(warning("site-empty", "the content folder holds no story",
                           SourceLocation(relative_path(options.content, root)),
                           "create content/<slug>/index.md, or run `broadsheet new <slug>`"))
    started = [story_module.start_story(folder, ctx) for folder in folders]  # charts compile meanwhile
    early_render = StoryPrerender(options, config) if prerender and len(started) > 1 else None
    for index, finish in enumerate(started):
        loaded_story, problems, count = finish()
        report.extend(problems)
        compiled += count
        if loaded_story is not None:
            stories.append(loaded_story)
            if early_render is not None and count and index < len(started) - 1 and not report.errors(options.strict):
                early_render(loaded_story)  # the last story's charts are the last: nothing to overlap
    site = Site(config, tuple(stories), generated_date(options, stories), live_chart_style(theme))
    return Loaded(site, report.sorted(), compiled)


def generated_date(options: BuildOptions, stories) -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the newest story date: never 'now'."""
    env = options.env or os.environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    dates = [s.updated or s.published for s in stories]
    return dt.date.fromisoformat(max(dates)) if dates else dt.date(1970, 1, 1)


def load_site_config(options: BuildOptions, report: Report) -> SiteConfig:
    path = options.content / "site.yaml"
    rel = relative_path(path, options.project)
    values: dict = {}
    if path.is_file():
        text, problems = decode_utf8(path.read_bytes(), rel)
        report.extend(problems)
        loaded = yamlmap.load(text or "", rel)
        report.extend(loaded.diagnostics)
        data = loaded.data if isinstance(loaded.data, LineDict) else LineDict()
        for key in data:
            if key not in SITE_FIELDS:
                report.add(warning("site-field", f"unknown field '{key}' in site.yaml",
                                   SourceLocation(rel, data.line_of(key), data.column_of(key)),
                                   f"{did_you_mean(str(key), SITE_FIELDS)}fields are {', '.join(SITE_FIELDS)}"))
        values = {key: as_text(data.get(key)).strip() for key in SITE_FIELDS}
    language = values.get("language") or "fr"
    if not i18n.is_known_language(language):
        where = SourceLocation(rel, data.line_of("language"), data.column_of("language")) if values else \
            SourceLocation(rel, 1)
        report.add(error("site-language", f"unknown language '{language}'", where,
                         "use a language code such as fr, en, de, pt-BR"))
        language = "en"
    base_url = options.base_url if options.base_url is not None else (values.get("base_url") or "/")
    base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    return SiteConfig(values.get("title") or "Broadsheet", values.get("description", ""), language, base_url,
                      values.get("absolute_url", ""), values.get("newsroom") or values.get("title") or "", rel)


def plan(loaded: Loaded, options: BuildOptions, runtime_future=None, compiler=None) -> list[OutputFile]:
    """Every file of the site, rendered in memory: assets, pages, chart images, data, media.
    Social cards missing from the cache are drawn by `compiler` while the pages render."""
    from . import render
    from .output import content_name

    if compiler is None:
        from .charts import ChartCompiler
        compiler = ChartCompiler(1)

    site = loaded.site
    files, assets = static_assets(options)
    if any(story.charts for story in site.stories):
        runtime = vega_runtime(options, runtime_future)
        assets["vega.js"] = "assets/" + content_name("vega.js", runtime)
        files[assets["vega.js"]] = runtime

    chart_files = {}
    cards = {}
    drawing = []
    for story in site.stories:
        lead = story.charts.get(story.lead_chart) or next(iter(story.charts.values()), None)
        key = card_key(story.title, site.config.title, lead)
        cards[story.slug] = f"{story.slug}/card.{key[:10]}.png"  # named by what it shows: known before it is drawn
        card = options.cache.get("cards", key)
        if card is None and story.card is not None:  # drawn with the lead chart, from the same inputs
            card = story.card
            options.cache.put("cards", key, card)
        if card is None:
            drawing.append((cards[story.slug], key, compiler.card(story.title, site.config.title,
                                                                  lead.svg if lead else None)))
        else:
            files[cards[story.slug]] = card
        for key, (path, svg) in chart_images(story).items():
            chart_files[key] = path
            files[path] = svg
        for chart in story.charts.values():
            for table in chart.tables:
                files[f"{story.slug}/data/{table.name}.csv"] = table.csv
            for name, content in chart.data_files:
                files[f"{story.slug}/{name}"] = content
        for media_path, content in story.media:
            files[f"{story.slug}/{media_path}"] = content

    cache = options.cache
    env = _environment(options)
    try:
        pages = render.render_site(site, env, render.Locations(assets, chart_files, cards), options.project,
                                   cache if hasattr(cache, "root") else None)
    except render.TemplateProblem as problem:
        raise BuildFailed((problem.diagnostic,)) from None
    for page in pages:
        files[page.path] = page.content
    for name, key, task in drawing:
        files[name] = task.result()
        options.cache.put("cards", key, files[name])
    files["sitemap.xml"] = feeds.sitemap(site, [p.path for p in pages]) if site.config.absolute_url else None
    files["robots.txt"] = feeds.robots(site)
    files["feed.xml"] = feeds.atom(site)
    return [OutputFile(path, files[path]) for path in sorted(files) if files[path] is not None]


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
    from .output import content_name

    images = {}
    for chart in story.charts.values():
        svg = chart.svg.encode("utf-8")
        images[(story.slug, chart.id)] = (content_name(f"{story.slug}/charts/{chart.id}.svg", svg), svg)
        if chart.narrow is not None:
            small = chart.narrow.svg.encode("utf-8")
            images[(story.slug, chart.id + "/narrow")] = (
                content_name(f"{story.slug}/charts/{chart.id}-narrow.svg", small), small)
    return images


def _environment(options: BuildOptions):
    from . import render

    cache = options.cache
    return render.make_environment(options.site_src / "templates",
                                   cache.root / "templates" if hasattr(cache, "root") else None)


class StoryPrerender:
    """Renders a story's sections and chart figures (in the story, on the embed pages) as soon as
    its charts are compiled, while the workers compile the next stories' charts; the render after
    the last chart then finds them done (render keeps them in this process and in the cache, under
    everything they show, so nothing can be stale). Any problem is left for that render to report."""

    def __init__(self, options: BuildOptions, config: SiteConfig):
        self.options, self.config = options, config
        self.env = None
        self.assets: dict[str, str] = {}

    def __call__(self, story) -> None:
        from . import render

        try:
            if self.env is None:
                self.env = _environment(self.options)
                self.assets = static_assets(self.options)[1]
            charts = {key: path for key, (path, _) in chart_images(story).items()}
            site = Site(self.config, (story,), dt.date(1970, 1, 1))
            locations = render.Locations(self.assets, charts, {})
            cache = self.options.cache if hasattr(self.options.cache, "root") else None
            render.story_context(story, self.env, locations, site, cache)
            for chart in story.charts.values():
                render.embed_figure(story, chart, self.env, locations, site, cache)
        except Exception:  # noqa: BLE001 - the render proper reports it, with its line
            return


def live_chart_style(theme) -> str:
    from .charts import live_chart_style as style

    return style(theme)


def publishing_checks(site: Site) -> list:
    """Problems only a site about to be published has (checked once everything else is right)."""
    if site.config.absolute_url:
        return []
    return [warning("site-no-absolute-url", "site.yaml sets no absolute_url", SourceLocation(site.config.path, 1),
                    "add `absolute_url: https://…/` (where the site is published) for canonical links, "
                    "link previews (Open Graph) and the sitemap")]


def card_key(headline: str, site_name: str, chart) -> str:
    """What a story's 1200x630 link-preview image shows: it is drawn again only when that changes."""
    from importlib.metadata import version

    return digest("card-v5", headline, site_name, chart.svg if chart else "", version("vl-convert-python"))


def _runtime_key() -> str:
    from importlib.metadata import version
    return digest("vega-runtime-v3", version("vl-convert-python"))


def _cached_runtime(options: BuildOptions) -> bytes | None:
    key = _runtime_key()
    return options.user_cache.get("runtime", key) or options.cache.get("runtime", key)


def vega_runtime(options: BuildOptions, prefetched=None) -> bytes:
    """The Vega runtime, from the cache when vl-convert's version has not changed (or from a
    worker that started making it while the charts compiled). It depends on nothing but that
    version, so it is kept once per user (~/.cache/broadsheet), and in the project's cache when
    that folder cannot be written."""
    runtime = _cached_runtime(options)
    if runtime is None:
        if prefetched is not None:
            runtime = prefetched.result()
        else:
            from .charts import vega_runtime
            runtime = vega_runtime()
        if not options.user_cache.put("runtime", _runtime_key(), runtime):
            options.cache.put("runtime", _runtime_key(), runtime)
    return runtime


def prefetch_runtime(options: BuildOptions):
    """Start bundling the chart runtime in another process when no cache holds it: it takes as
    long as compiling a story's charts, so on two cores the two overlap. (executor, future) or None."""
    if options.jobs == 1 or (os.cpu_count() or 1) < 2 or _cached_runtime(options) is not None:
        return None
    if not any(options.content.glob("*/charts/*")):
        return None
    from .charts import runtime_elsewhere
    return runtime_elsewhere()


def prepare_rendering(options: BuildOptions) -> None:
    """While the workers draw every chart, this process would only wait: it compiles the templates
    (kept as bytecode for the render) and readies the Markdown parser, work that otherwise starts
    after the last chart. Any problem is left for the render itself to report."""
    try:
        from . import links, markup  # noqa: F401 - links: the check after the render, imported now

        env = _environment(options)
        for name in env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml"))):
            env.get_template(name)
        markup.make_renderer(lambda *_: "", lambda *_: "")("*Prêt* : [oui](#a), 1 000.\n\n| a |\n|---|\n| b |\n")
        for language in i18n.MESSAGES:  # Babel reads a language's calendar data on first use
            i18n.format_date("2024-01-31", language)
    except Exception:  # noqa: BLE001 - a broken template is reported by the render, with its line
        return


def compiles_everything(options: BuildOptions) -> bool:
    """True when every chart will be compiled: charts exist and the cache holds no compiled one."""
    cache = options.cache
    if hasattr(cache, "root") and (cache.root / "charts").is_dir():
        return False
    return any(options.content.glob("*/charts/*"))


def build(options: BuildOptions, writer) -> BuildResult:
    """Load, check, render, then write through `writer`; raises BuildFailed on author errors."""
    from .charts import ChartCompiler

    prefetch = prefetch_runtime(options)
    compiler = ChartCompiler(options.jobs)
    if compiles_everything(options):
        compiler.start_early()
        threading.Thread(target=prepare_rendering, args=(options,), name="prepare-rendering", daemon=True).start()
    try:
        return _build(options, writer, prefetch[1] if prefetch else None, compiler)
    finally:
        compiler.close()
        if prefetch:
            prefetch[0].shutdown(cancel_futures=True)


def _build(options: BuildOptions, writer, runtime_future, compiler) -> BuildResult:
    loaded = load(options, compiler, prerender=True)
    failing = [d for d in loaded.diagnostics if options.strict or d.severity == "error"]
    if failing or loaded.site is None:
        raise BuildFailed(loaded.diagnostics, options.strict)
    late = publishing_checks(loaded.site)
    if late and options.strict:
        raise BuildFailed(loaded.diagnostics + tuple(late), options.strict)
    files = plan(loaded, options, runtime_future, compiler)
    link_problems, notes = check_links(files, loaded.site, options)
    late += link_problems
    if any(options.strict or d.severity == "error" for d in late):
        raise BuildFailed(loaded.diagnostics + tuple(late), options.strict)
    writer.write(files)
    site = loaded.site
    pages = sum(1 for f in files if f.path.endswith(".html") and "/embed/" not in f.path)  # embeds: one per chart
    charts = sum(len(s.charts) for s in site.stories)
    return BuildResult(tuple(files), pages, charts, loaded.charts_compiled, loaded.diagnostics + tuple(late),
                       options.out, notes, site.config.absolute_url)


def check_links(files: list[OutputFile], site: Site, options: BuildOptions) -> tuple[list, tuple[str, ...]]:
    """Internal links always; outside links when asked (and when a network answers)."""
    from . import links

    contents = {f.path: f.content for f in files}
    problems = links.check_internal(contents, site)
    notes: tuple[str, ...] = ()
    if options.check_external:
        external, note = links.check_external(contents, site)
        problems += external
        notes = (note,)
    return problems, notes


def check(options: BuildOptions) -> Loaded:
    """Everything `build` does except writing."""
    from .charts import ChartCompiler

    compiler = ChartCompiler(options.jobs)
    try:
        loaded = load(options, compiler)
        if loaded.site is None or any(options.strict or d.severity == "error" for d in loaded.diagnostics):
            return loaded
        late = list(publishing_checks(loaded.site))
        notes: tuple[str, ...] = ()
        if not (late and options.strict):
            files = plan(loaded, options, None, compiler)  # renders every page: template mistakes show up too
            link_problems, notes = check_links(files, loaded.site, options)
            late += link_problems
        return Loaded(loaded.site, loaded.diagnostics + tuple(late), loaded.charts_compiled, notes)
    finally:
        compiler.close()
