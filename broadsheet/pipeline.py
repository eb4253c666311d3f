"""The build, as a list of phases: read and check everything, then write (house rule 1).

    discover -> load (per story) -> check -> assets -> render -> plan -> write

Nothing is written unless every phase before `write` succeeded; author problems stop the
build with `BuildFailed`, which carries all of them.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import i18n, yamlmap
from .cache import DiskCache, NoCache, digest
from .diagnostics import BuildFailed, Report, SourceLocation, did_you_mean, error, relative_path, warning
from .model import BuildResult, OutputFile, Site, SiteConfig
from .yamlmap import LineDict, as_text

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
    cache_dir: Path | None = None
    env: dict = field(default_factory=dict)  # SOURCE_DATE_EPOCH and friends; os.environ when empty

    @property
    def cache(self):
        if not self.use_cache:
            return NoCache()
        return DiskCache(self.cache_dir or self.project / ".cache" / "broadsheet")


@dataclass(frozen=True)
class Loaded:
    """Everything read and checked: what `render` needs, and what `check` reports."""

    site: Site | None
    diagnostics: tuple
    charts_compiled: int


def load(options: BuildOptions) -> Loaded:
    """Read and check the whole site. Never writes anything but cache entries."""
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
    ctx = story_module.StoryContext(root, config.language, config.newsroom, theme, theme_text, options.cache,
                                    options.strict)
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
    for folder in folders:
        loaded_story, problems, count = story_module.load_story(folder, ctx)
        report.extend(problems)
        compiled += count
        if loaded_story is not None:
            stories.append(loaded_story)
    site = Site(config, tuple(stories), generated_date(options, stories))
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
        loaded = yamlmap.load(path.read_text("utf-8"), rel)
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
        report.add(error("site-language", f"unknown language '{language}'", SourceLocation(rel, 1),
                         "use a language code such as fr, en, de, pt-BR"))
        language = "en"
    base_url = options.base_url if options.base_url is not None else (values.get("base_url") or "/")
    base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    return SiteConfig(values.get("title") or "Broadsheet", values.get("description", ""), language, base_url,
                      values.get("absolute_url", ""), values.get("newsroom") or values.get("title") or "", rel)


def plan(loaded: Loaded, options: BuildOptions) -> list[OutputFile]:
    """Every file of the site, rendered in memory: assets, pages, chart images, data, media."""
    from . import render
    from .output import content_name

    site = loaded.site
    files: dict[str, bytes] = {}
    assets: dict[str, str] = {}
    static = options.site_src / "static"
    for path in sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []:
        logical = path.relative_to(static).as_posix()
        content = path.read_bytes()
        name = "assets/" + (content_name(logical, content) if path.suffix in (".css", ".js") else logical)
        assets[logical] = name
        files[name] = content
    if any(story.charts for story in site.stories):
        runtime = vega_runtime(options)
        assets["vega.js"] = "assets/" + content_name("vega.js", runtime)
        files[assets["vega.js"]] = runtime

    chart_files = {}
    for story in site.stories:
        for chart in story.charts.values():
            svg = chart.svg.encode("utf-8")
            path = content_name(f"{story.slug}/charts/{chart.id}.svg", svg)
            chart_files[(story.slug, chart.id)] = path
            files[path] = svg
            for table in chart.tables:
                files[f"{story.slug}/data/{table.name}.csv"] = table.csv
        for media_path, content in story.media:
            files[f"{story.slug}/{media_path}"] = content

    env = render.make_environment(options.site_src / "templates")
    try:
        pages = render.render_site(site, env, render.Assets(assets), chart_files, options.project)
    except render.TemplateProblem as problem:
        raise BuildFailed((problem.diagnostic,)) from None
    for page in pages:
        files[page.path] = page.content
    return [OutputFile(path, files[path]) for path in sorted(files)]


def vega_runtime(options: BuildOptions) -> bytes:
    """The Vega runtime, from the cache when vl-convert's version has not changed."""
    from importlib.metadata import version

    cache = options.cache
    key = digest("vega-runtime-v2", version("vl-convert-python"))
    runtime = cache.get("runtime", key)
    if runtime is None:
        from . import fallback
        runtime = fallback.vega_runtime()
        cache.put("runtime", key, runtime)
    return runtime


def build(options: BuildOptions, writer) -> BuildResult:
    """Load, check, render, then write through `writer`; raises BuildFailed on author errors."""
    loaded = load(options)
    failing = [d for d in loaded.diagnostics if options.strict or d.severity == "error"]
    if failing or loaded.site is None:
        raise BuildFailed(loaded.diagnostics, options.strict)
    files = plan(loaded, options)
    writer.write(files)
    site = loaded.site
    pages = sum(1 for f in files if f.path.endswith(".html"))
    charts = sum(len(s.charts) for s in site.stories)
    return BuildResult(tuple(files), pages, charts, loaded.charts_compiled, loaded.diagnostics, options.out)


def check(options: BuildOptions) -> Loaded:
    """Everything `build` does except writing (and rendering pages)."""
    return load(options)
