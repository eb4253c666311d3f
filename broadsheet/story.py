"""One story folder -> Story: front matter, sections, facts, data, charts, media, and the checks
that need all of them at once (an unknown fact, an unused chart, a lead chart that is missing).

A story is a bundle (house rule 8): whatever it references must live inside its folder.
"""
from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import re
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from . import (charts, controls, data, factchecks, facts as facts_module, footnotes, foreign_syntax, i18n, integrity,
               ledger, markup, queries, scenario_words, steps as steps_module, translations, wording, yamlmap)
from .cache import digest, engine_fingerprint
from .folders import discover, inside, printable, survey, unreadable_file  # noqa: F401 (discover, survey: this module's face too)
from .diagnostics import (Diagnostic, SourceLocation, decode_utf8, did_you_mean, error, relative_path, unreadable,
                          warning)
from .markup import FrontMatter
from .model import ChartSpec, DataFile, Directive, FactSet, Section, Story, Update, frozen_mapping
from .yamlmap import LineDict, as_text

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRONT_MATTER_FIELDS = ("title", "dek", "byline", "published", "updated", "language", "lead_chart", "updates",
                       "draft", "stale_after")
CHART_SUFFIXES = (".py", ".vl.json")
# Other tools' names for our fields (Quarto, Pelican, Hugo, Jekyll, MkDocs), and their settings that
# mean nothing here (None): a story brought from one of them is told what to rename.
OTHER_TOOLS_FIELDS = {
    "date": "published", "pubDate": "published", "publishDate": "published", "pubdate": "published",
    "lastmod": "updated", "modified": "updated", "date-modified": "updated", "updated_at": "updated",
    "subtitle": "dek", "description": "dek", "summary": "dek", "abstract": "dek", "excerpt": "dek",
    "author": "byline", "authors": "byline", "lang": "language", "image": None,
    "format": None, "jupyter": None, "execute": None, "editor": None, "engine": None, "knitr": None,
    "toc": None, "toc-title": None, "number-sections": None, "filters": None, "bibliography": None,
    "categories": None, "tags": None, "layout": None, "slug": None, "template": None, "css": None,
}


@dataclass(frozen=True)
class StoryContext:
    """What every story needs from outside itself."""

    root: Path  # the project folder: paths in messages are relative to it
    default_language: str
    default_byline: str
    theme: Mapping[str, Any]
    theme_text: str
    cache: Any  # DiskCache or NoCache
    strict: bool = False
    compiler: Any = field(default_factory=lambda: charts.ChartCompiler(1))  # compiles ChartJobs
    site_title: str | None = None  # given: a story's link-preview card is drawn along with its lead chart
    today: dt.date | None = None  # the build's date, which `stale_after:` counts back from (None: not checked)
    words: Any = None  # language -> a gettext of the page's words (the statuses as popovers say them); None: English


def _files(folder: Path, story_dir: Path, pattern: str, rel, problems: list[Diagnostic]) -> list[Path]:
    found = []
    for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        try:
            path.name.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(unreadable_file(rel(path), "its name is not UTF-8", "rename it with letters, digits and "
                                        "hyphens (a name made elsewhere may hold bytes that are not text)"))
            continue
        try:
            within = inside(path, story_dir)
        except (RuntimeError, OSError):  # a link that leads back to itself
            problems.append(unreadable_file(rel(path), "it is a link that leads back to itself (a loop)",
                                        "replace the link with the file itself"))
            continue
        if not within:
            problems.append(error("path-outside", f"'{rel(path)}' points outside the story folder",
                                  SourceLocation(rel(path)), "a story is a bundle: copy the file into the story "
                                  "folder instead of linking to it"))
            continue
        if path.is_file():
            found.append(path)
        elif path.is_symlink() and not path.exists():
            problems.append(unreadable_file(rel(path), "it is a link to a file that does not exist",
                                        "replace the link with the file itself, or delete it"))
        elif path.is_dir() and pattern.startswith("*."):
            problems.append(unreadable_file(rel(path), "it is a folder, not a file",
                                        "rename the folder, or move its files up"))
        elif not path.is_dir():
            problems.append(unreadable_file(rel(path), "it is not a regular file (a pipe, a socket or a device)",
                                        "replace it with an ordinary file"))
    return found


def _read(path: Path, rel_path: str, problems: list[Diagnostic]) -> bytes | None:
    """The bytes of a file of the story, or None and a diagnostic when it cannot be read."""
    try:
        if not path.is_file():
            why = "it is a folder, not a file" if path.is_dir() else \
                "it is not a regular file (a pipe, a socket or a device)"
            problems.append(unreadable_file(rel_path, why, "replace it with an ordinary file"))
            return None
        return path.read_bytes()
    except (OSError, RuntimeError) as exc:
        problems.append(unreadable_file(rel_path, (exc.strerror or str(exc)).lower() if isinstance(exc, OSError) else
                                    "it is a link that leads back to itself (a loop)",
                                    "check the file's permissions (it must be readable by whoever builds the site)"))
        return None


def load_story(story_dir: Path, ctx: StoryContext) -> tuple[Story | None, list[Diagnostic], int]:
    """(story, problems, charts compiled this time). The story is None when it cannot be built."""
    return start_story(story_dir, ctx)()


@dataclass(frozen=True)
class StoryFiles:
    """A story folder as read: its texts parsed, its facts and CSVs checked, its chart files found."""

    folder: Path
    index_path: str  # relative to the project
    meta: dict  # the front matter's fields (see _front_matter)
    intro: Section | None
    sections: tuple[Section, ...]
    fact_set: FactSet
    facts_text: str
    datasets: Mapping[str, DataFile]
    chart_files: Mapping[str, Path]

    @property
    def pieces(self) -> list[Section]:
        return ([self.intro] if self.intro else []) + list(self.sections)

    @property
    def directives(self) -> list:
        return [d for section in self.pieces for d in section.directives]

    @property
    def used_charts(self) -> list[str]:
        return list(dict.fromkeys(d.name for d in self.directives if d.kind in ("chart", "step-chart")))


def start_story(story_dir: Path, ctx: StoryContext):
    """Read and check a story, and hand the charts it must compile to `ctx.compiler`; returns the
    function that waits for them and gives what `load_story` gives. A build starts every story
    before finishing any, so charts compile while the next stories are read."""
    problems: list[Diagnostic] = []
    files = read_story(story_dir, ctx, problems)
    problems += check_story(files, ctx, problems)
    specs, jobs = _chart_jobs(files, ctx, problems)
    tasks = [ctx.compiler.compile(job) for job, _ in jobs]
    started = [_start_translation(files, language, path, ctx)
               for language, path in translations.translation_files(story_dir)]

    def finish():
        story, found, count = finish_story(files, ctx, problems, specs, jobs, tasks)
        finished = [finish_story(*version) for version in started]
        found = found + [d for _, more, _ in finished for d in more]
        if story is None or any(version is None for version, _, _ in finished):
            return None, found, count + sum(n for _, _, n in finished)
        return _with_translations(story, [v for v, _, _ in finished], ctx), found, count + sum(n for _, _, n in finished)
    return finish


def _start_translation(files: StoryFiles, language: str, path: Path, ctx: StoryContext):
    """index.LL.md and sections/LL/ read as a story of their own, on the original's facts (their
    units and notes in LL), data and chart files; its charts drawn in LL. Returns what
    finish_story takes."""
    problems: list[Diagnostic] = []
    rel = lambda p: relative_path(p, ctx.root)  # noqa: E731
    original = files.meta["language"]
    where = SourceLocation(rel(path), 1)
    problems += translations.language_problem(language, original, where, i18n.is_known_language(language))
    front, intro = _read_markdown(path, rel(path), problems, front_matter=True)
    meta = _front_matter(front, rel(path), replace(ctx, default_language=language), problems)
    problems[:] = [d for d in problems if not (d.code == "front-matter-date" and d.location.path == rel(path)
                                               and "no publication date" in d.message)]  # the original's date
    if meta["language"] != language:
        problems.append(error("translation-language", f"{path.name} says `language: {meta['language']}`",
                              meta["locations"].get("language", where), f"remove the line: the file's name makes "
                              f"it the '{language}' translation"))
    meta.update(language=language, lead_chart=files.meta["lead_chart"], original_language=original, translation=True,
                published=meta["published"] or files.meta["published"], draft=meta["draft"] or files.meta["draft"])
    meta["updated"] = max(meta["updated"], meta["published"])
    sections = []
    for section_path in _files(files.folder / "sections" / language, files.folder, "*.md", rel, problems):
        _, section = _read_markdown(section_path, rel(section_path), problems, front_matter=False)
        if section is not None:
            sections.append(section)
    intro, sections = _without_repeated_title(intro, sections, meta["title"], problems)
    fact_set = facts_module.in_language(files.fact_set, language)
    meta, meta["facts_used"] = wording.front_matter_texts(
        meta, fact_set, lambda fact, style: i18n.format_value(fact.value, fact.unit, language, style), problems)
    version = replace(files, index_path=rel(path), meta=meta, intro=intro, sections=tuple(sections), fact_set=fact_set)
    problems += check_story(version, ctx, problems)
    problems += translations.drift(files.pieces, version.pieces, language,
                                   rel(files.folder / "sections" / language), rel(path))
    problems += translations.stale(files.meta["updated"], meta["updated"], language,
                                   meta["locations"].get("updated", where), files.index_path)
    specs, jobs = _chart_jobs(version, ctx, problems)
    tasks = [ctx.compiler.compile(job) for job, _ in jobs]
    return version, ctx, problems, specs, jobs, tasks


def _with_translations(story: Story, versions: list[Story], ctx: StoryContext) -> Story:
    """The original and its translations, each at its site path, each knowing the others."""
    paths = translations.site_paths(story.slug, story.language, [v.language for v in versions], ctx.default_language)
    alternates = tuple(paths.items())
    root = translations.slug_of(paths[story.language])  # the original's: its folder holds the data files
    built = [replace(version, slug=translations.slug_of(paths[version.language]), folder=story.slug,
                     original_language=story.language, alternates=alternates, shared=root,
                     own_tables=_own_tables(version, story))
             for version in versions]
    if not versions:
        return story
    return replace(story, slug=root, folder=story.slug, alternates=alternates, translations=tuple(built))


def _own_tables(version: Story, original: Story) -> tuple[str, ...]:
    """The names of a translation's chart tables that are not the original's files byte for byte
    (a chart that writes its rows in the page's language): those go to the translation's folder."""
    written = {table.name: table.csv for chart in original.charts.values() for table in chart.tables}
    return tuple(sorted({table.name for chart in version.charts.values() for table in chart.tables
                         if written.get(table.name) != table.csv}))


def read_story(story_dir: Path, ctx: StoryContext, problems: list[Diagnostic]) -> StoryFiles:
    """Every file of the story read and parsed; what is wrong with them goes to `problems`."""
    def rel(path: Path) -> str:
        return relative_path(path, ctx.root)

    index_path = story_dir / "index.md"
    if not SLUG.match(story_dir.name):
        problems.append(error("story-slug", f"story folder '{printable(story_dir.name)}' is not a valid slug",
                              SourceLocation(printable(rel(index_path))),
                              "use lowercase letters, digits and hyphens: `chatgpt-workforce`"))
    front, intro = _read_markdown(index_path, rel(index_path), problems, front_matter=True)
    meta = _front_matter(front, rel(index_path), ctx, problems)
    sections = []
    for path in _files(story_dir / "sections", story_dir, "*.md", rel, problems):
        _, section = _read_markdown(path, rel(path), problems, front_matter=False)
        if section is not None:
            sections.append(section)
    intro, sections = _without_repeated_title(intro, sections, meta["title"], problems)
    datasets = _read_data(story_dir, rel, ctx, problems)
    fact_set, facts_text = _read_facts(story_dir / "facts.yaml", rel, problems, datasets, ctx.cache)
    language = meta["language"]
    meta, meta["facts_used"] = wording.front_matter_texts(
        meta, fact_set, lambda fact, style: i18n.format_value(fact.value, fact.unit, language, style), problems)
    chart_files = _chart_files(story_dir, rel, problems)
    return StoryFiles(story_dir, rel(index_path), meta, intro, tuple(sections), fact_set, facts_text,
                      frozen_mapping(datasets), frozen_mapping(chart_files))


def _chart_files(story_dir: Path, rel, problems: list[Diagnostic]) -> dict[str, Path]:
    """{chart id: its file}; two files for one id (`pay.py` and `pay.vl.json`) are an error, not
    one chosen in silence."""
    chart_files: dict[str, Path] = {}
    for path in _files(story_dir / "charts", story_dir, "*", rel, problems):
        for suffix in CHART_SUFFIXES:
            if path.name.endswith(suffix) and not path.name.startswith(("_", ".")):
                chart_id = path.name[: -len(suffix)]
                if chart_id in chart_files:
                    problems.append(error("chart-two-files", f"chart '{chart_id}' has two files: "
                                          f"{rel(chart_files[chart_id])} and {rel(path)}", SourceLocation(rel(path)),
                                          f"remove or rename one of them: {{chart:{chart_id}}} must name one file"))
                    continue
                chart_files[chart_id] = path
    return chart_files


def _read_data(story_dir: Path, rel, ctx: StoryContext, problems: list[Diagnostic]) -> dict[str, DataFile]:
    """The story's data files, each read by its extension, under the name charts use: its stem
    (`data['pay']`), or its file name when two files share a stem (`data['weather.json']`)."""
    paths = sorted(path for suffix in data.DATA_SUFFIXES
                   for path in _files(story_dir / "data", story_dir, "*" + suffix, rel, problems))
    stems = [path.stem for path in paths]
    datasets: dict[str, DataFile] = {}
    for path in paths:
        size = path.stat().st_size
        if size > data.MAX_CSV_BYTES:  # never loaded into memory
            problems.append(data.too_large(rel(path), size, path.suffix[1:].upper()))
            continue
        raw = _read(path, rel(path), problems)
        if raw is None:
            continue
        name = path.stem if stems.count(path.stem) == 1 else path.name
        checked, found = _checked_csv(raw, rel(path), name, ctx.cache)
        problems.extend(found)
        if checked is not None:
            datasets[name] = checked
    return datasets


def _read_facts(facts_path: Path, rel, problems: list[Diagnostic], datasets: Mapping[str, DataFile],
                cache) -> tuple[FactSet, str]:
    """(the story's facts, the text of facts.yaml: chart jobs read it again in the workers). Facts
    with a `query:` are run over the story's tables, then the file is read again with their values
    (so that the facts derived from them are computed too)."""
    fact_set = FactSet(path=rel(facts_path))
    if not (facts_path.exists() or facts_path.is_symlink()):
        return fact_set, ""
    raw = _read(facts_path, rel(facts_path), problems)
    if raw is None:
        return fact_set, ""
    facts_text, found = decode_utf8(raw, rel(facts_path))
    problems.extend(found)
    facts_text = facts_text or ""
    loaded = yamlmap.load(facts_text, rel(facts_path))
    problems.extend(loaded.diagnostics)
    if not loaded.diagnostics and not found:
        fact_set, found = facts_module.parse_facts(loaded.data, rel(facts_path))
        computed, ran = _run_queries(fact_set, datasets, cache) if not found else ({}, [])
        if computed or ran:
            fact_set, found = facts_module.parse_facts(loaded.data, rel(facts_path), computed)
        problems.extend(found + ran)
    return fact_set, facts_text


def _run_queries(fact_set: FactSet, datasets: Mapping[str, DataFile], cache) -> tuple[dict, list[Diagnostic]]:
    """{fact key: (value, run query)} of the facts computed from a table, and what went wrong."""
    tables, digests = _query_tables(datasets)
    computed, problems = {}, []
    for key, fact in fact_set.facts.items():
        if fact.query is not None:
            query, value, found = queries.run(f"fact '{key}'", fact.query, tables, digests, cache)
            problems += found
            if value is not None:
                computed[key] = (value, query)
    return computed, problems


def _query_tables(datasets: Mapping[str, DataFile]):
    """({table name: a function reading its columns}, {table name: its content hash}) for queries."""
    def reader(datafile: DataFile):
        def read():
            dataset, _ = data.parse_data(datafile.raw, datafile.path, datafile.name)
            columns = list(dataset.columns) if dataset is not None else []
            rows = dataset.rows if dataset is not None else []
            if isinstance(rows, data.Rows):
                return datafile.path, columns, [list(values) for values in rows.columns_data]
            return datafile.path, columns, [[row.get(c) for row in rows] for c in columns]
        return read

    return ({name: reader(datafile) for name, datafile in datasets.items()},
            {name: datafile.digest for name, datafile in datasets.items()})


def _chart_checks(files: StoryFiles, ctx: StoryContext, placed: Mapping[str, ChartSpec]) -> list[Diagnostic]:
    """Each placed chart's `CHECK` (factchecks.py): the facts it says its data holds."""
    found: list[Diagnostic] = []
    tables, digests = _query_tables(files.datasets)
    language = files.meta["language"]
    for chart_id, spec in placed.items():
        checks, problems = factchecks.declared(spec.path, _chart_text(files.chart_files[chart_id]))
        found += problems + factchecks.verify(chart_id, checks, files.fact_set, tables, digests, ctx.cache,
                                              lambda value, unit: i18n.format_value(value, unit, language))
    return found


def _inputs_failed(files: StoryFiles, problems: list[Diagnostic]) -> tuple[bool, bool]:
    """(the facts file failed, a CSV failed): charts are not run over broken inputs."""
    facts_failed = any(d.severity == "error" and d.location.path == files.fact_set.path for d in problems)
    data_failed = any(d.severity == "error" and d.location.path.lower().endswith(data.DATA_SUFFIXES) for d in problems)
    return facts_failed, data_failed


def check_story(files: StoryFiles, ctx: StoryContext, problems: list[Diagnostic]) -> list[Diagnostic]:
    """What the text names that the story lacks (facts, charts, the lead chart), and chart files
    the text never places. `problems`: what reading found so far."""
    found: list[Diagnostic] = []
    fact_set, chart_files = files.fact_set, files.chart_files
    facts_failed, _ = _inputs_failed(files, problems)
    charts_folder = relative_path(files.folder / "charts", ctx.root)
    for directive in files.directives:
        if directive.kind in ("fact", "scenario") and directive.name not in fact_set.facts and not facts_failed:
            found.append(error("fact-unknown", f"unknown fact '{directive.name}'", directive.location,
                               f"{did_you_mean(directive.name, fact_set.facts)}facts are defined in {fact_set.path}"))
        if directive.kind in ("chart", "step-chart") and directive.name not in chart_files:
            found.append(error("chart-unknown", f"unknown chart '{directive.name}'", directive.location,
                               f"{did_you_mean(directive.name, chart_files)}charts are files in "
                               f"{charts_folder}/ named <id>.py or <id>.vl.json"))
    found += _placed_twice(files.directives)
    for chart_id, path in chart_files.items() if not files.meta.get("translation") else ():
        if chart_id not in files.used_charts and not any(d.severity == "error" for d in problems + found):
            found.append(warning("chart-unused", f"chart '{chart_id}' is not placed in the story",
                                 SourceLocation(relative_path(path, ctx.root)),
                                 "place it with a line holding only {chart:" + chart_id + "}, or delete the file"))
    lead = files.meta["lead_chart"]
    if lead and lead not in chart_files:
        found.append(error("chart-unknown", f"lead_chart '{lead}' is not a chart of this story",
                           files.meta["locations"].get("lead_chart", SourceLocation(files.index_path)),
                           f"{did_you_mean(lead, chart_files)}name a file of charts/ without its extension"))
    return found


def _placed_twice(directives) -> list[Diagnostic]:
    """A chart is one figure of the page: placed twice, its element ids and controls would be
    doubled."""
    first: dict[str, SourceLocation] = {}
    found = []
    for directive in directives:
        if directive.kind != "chart":
            continue
        if directive.name in first:
            where = first[directive.name]
            found.append(error("chart-placed-twice", f"chart '{directive.name}' is placed twice: here and at "
                               f"{where.path}:{where.line}", directive.location,
                               "remove one of the two lines; to show the chart again in another form, copy its "
                               "file under another name"))
        else:
            first[directive.name] = directive.location
    return found


def _chart_jobs(files: StoryFiles, ctx: StoryContext, problems: list[Diagnostic]):
    """({chart id: spec} of the charts the cache holds, [(ChartJob, its key)] for the others). The
    lead chart's job also draws the story's card when the build asks for it (ctx.site_title)."""
    specs: dict[str, ChartSpec] = {}
    jobs: list = []
    if any(_inputs_failed(files, problems)):
        return specs, jobs
    rel = lambda path: relative_path(path, ctx.root)  # noqa: E731
    for chart_id in files.used_charts:
        if chart_id not in files.chart_files:
            continue
        spec, found, job = _cached_chart(chart_id, files.chart_files[chart_id], rel, files.datasets,
                                         files.fact_set, files.meta["language"], ctx, files.facts_text,
                                         files.meta.get("original_language", ""))
        problems.extend(found)
        if job is not None:
            jobs.append(job)
        elif spec is not None:
            specs[chart_id] = spec
    lead = files.meta["lead_chart"]
    card_chart = lead or next((c for c in files.used_charts if c in files.chart_files), None)
    if ctx.site_title is not None:  # the card shows the lead chart: drawn by the worker that draws it
        jobs = [(replace(job, card=(files.meta["title"], ctx.site_title)) if job.chart_id == card_chart else job, key)
                for job, key in jobs]
    return specs, jobs


def _words_need_js(files: StoryFiles, placed: Mapping[str, ChartSpec]) -> list[Diagnostic]:
    """Words a page would say wrongly: prose and chart captions telling readers to use a control
    outside {js:…} (`words-need-js`), and judgements beside a reader's value (`scenario-claim`)."""
    language = files.meta["language"]
    problems = []
    for section in files.pieces:
        prose = [(index + 1 + section.line_offset, line) for index, line in markup.prose_lines(section.markdown)]
        problems += controls.check([[(line, number, 1)] for number, line in prose], section.path, language,
                                   "this sentence")
        problems += scenario_words.check(prose, section.path, language)
    for chart_id in files.used_charts:
        if chart_id in placed:
            texts: dict[tuple[str, str], list] = {}
            for name, words, line, column in wording.chart_texts(placed[chart_id].path,
                                                                 _chart_text(files.chart_files[chart_id])):
                name, _, lang = name.partition(":")  # CAPTION:en, a per-language text's English
                if name.lower() in ("title", "caption", "source"):
                    texts.setdefault((name, lang or language), []).append((words, line, column))
            for (_, lang), pieces in texts.items():
                problems += controls.check([pieces], placed[chart_id].path, lang,
                                           f"this sentence of chart '{chart_id}'")
    return problems


def finish_story(files: StoryFiles, ctx: StoryContext, problems: list[Diagnostic], specs: dict, jobs: list,
                 tasks: list) -> tuple[Story | None, list[Diagnostic], int]:
    """The story once its charts are compiled: their results kept in the cache, the checks that
    need them (unused facts and sources, legend-only selections), then the Story itself."""
    card = _collect_charts(files, ctx, problems, specs, jobs, tasks)
    placed = {c: specs[c] for c in files.used_charts if c in specs}  # text order
    facts_used_by_charts = {key for spec in placed.values() for key in spec.facts_used}
    for spec in placed.values():
        problems.extend(_legend_only(spec, files.chart_files.get(spec.id)))
    problems.extend(_shared_params(placed, files.chart_files))
    bare = [problem for section in files.pieces
            for problem in markup.scan_bare_numbers(section.markdown, section.path, section.line_offset)]
    problems.extend(bare)
    problems.extend(_words_need_js(files, placed))
    for chart_id in files.used_charts:
        if chart_id in placed:
            problems.extend(wording.chart_bare_numbers(placed[chart_id].path, _chart_text(files.chart_files[chart_id])))
    problems.extend(_integrity(files, ctx, placed))
    step_pictures = _step_pictures(files, ctx, placed, problems)
    problems.extend(_chart_checks(files, ctx, placed))
    if not files.meta.get("translation") and not any(d.severity == "error" for d in problems):  # "unused" means
        #                                                 little while things are broken; the original says it
        problems.extend(_unused_facts(files.fact_set, files.directives,
                                      facts_used_by_charts | set(files.meta.get("facts_used") or ())))
        problems.extend(_unused_sources(files.fact_set, files.directives, placed))
    rel = lambda path: relative_path(path, ctx.root)  # noqa: E731
    media = tuple((path.relative_to(files.folder).as_posix(), raw)
                  for path in _files(files.folder / "media", files.folder, "**/*", rel, problems)
                  for raw in [_read(path, rel(path), problems)] if raw is not None)
    card = _media_checked(placed, files, dict(media), problems, card)
    if any(d.severity == "error" for d in problems):
        return None, problems, len(jobs)
    meta = files.meta
    story = Story(
        slug=files.folder.name, path=rel(files.folder), title=meta["title"], dek=meta["dek"], byline=meta["byline"],
        published=meta["published"], updated=meta["updated"], language=meta["language"], lead_chart=meta["lead_chart"],
        intro=files.intro, sections=files.sections, facts=files.fact_set, datasets=files.datasets,
        charts=frozen_mapping(placed), updates=meta["updates"], media=media, card=card, draft=meta["draft"],
        step_pictures=frozen_mapping(step_pictures), front_places=tuple(meta.get("fact_places") or ()),
        bare_numbers=bool(bare))
    return story, problems, len(jobs)


def _media_checked(placed: Mapping[str, ChartSpec], files: StoryFiles, media: dict, problems: list, card):
    """Pictures of image marks that media/ lacks are reported; a card drawn while the chart's
    media pictures were not at hand is dropped (the build draws it again with them)."""
    showing = False
    for spec in placed.values():
        svg = spec.svg + (spec.narrow.svg if spec.narrow is not None else "")
        if charts.media_images(svg):
            showing = True
            problems.extend(charts.missing_media(spec.id, spec.path, _chart_text(files.chart_files[spec.id]), svg, media))
    return None if showing else card


def _step_pictures(files: StoryFiles, ctx: StoryContext, placed: Mapping[str, ChartSpec],
                   problems: list[Diagnostic]) -> dict:
    """Each scrolly step's state checked against its chart, and drawn (wide and narrow) when the
    story has no error: {state key: StepPicture}."""
    blocks = [block for section in files.pieces for block in section.steps]
    if not blocks:
        return {}
    states, found = steps_module.check_blocks(blocks, placed)
    problems.extend(found)
    if any(d.severity == "error" for d in problems):
        return {}
    language = files.meta["language"]
    draw = lambda vega: charts.draw_state(vega, language, ctx.theme, ctx.cache)  # noqa: E731
    pictures = {}
    for _, step_states in states:
        for step, signals, stores in step_states:
            drawn = steps_module.picture(placed[step.chart], signals, stores, language, draw,
                                         charts.apply_merge_patch, ctx.cache)
            pictures[drawn.key] = drawn
    return pictures


def _chart_text(path: Path) -> str:
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""  # the chart was read to compile it: this cannot fail but by a race, and then reports nothing


def _integrity(files: StoryFiles, ctx: StoryContext, placed: Mapping[str, ChartSpec]) -> list[Diagnostic]:
    """Reader's scenarios that no slider drives, "verified" claims over estimates, stale figures,
    status words in tables unlike the popovers' (see integrity.py)."""
    meta, fact_set = files.meta, files.fact_set
    params = {name for spec in placed.values() for name in spec.params}
    every_chart_built = all(chart in placed for chart in files.used_charts)  # else a slider may be missing
    found = integrity.scenario_problems(files.directives, fact_set, params) if every_chart_built else []
    found += integrity.verified_claim(meta, fact_set, files.index_path)
    gettext = ctx.words(meta["language"]) if ctx.words else str
    found += integrity.status_words(files.datasets, {key: gettext(word) for key, word in ledger.STATUS.items()})
    if ctx.today is not None and meta.get("stale_after") not in (None, ""):
        where = meta["locations"].get("stale_after", SourceLocation(files.index_path, 1))
        limit, problems = integrity.stale_limit(meta["stale_after"], ctx.today, where)
        found += problems + integrity.stale_facts(fact_set, limit, str(meta["stale_after"]))
    return found


def _collect_charts(files: StoryFiles, ctx: StoryContext, problems: list[Diagnostic], specs: dict, jobs: list,
                    tasks: list) -> bytes | None:
    """Wait for each compiled chart, keep it in the cache (keyed by what it read), add it to
    `specs`; the story's card when a job drew it."""
    card = None
    for (job, own_key), task in zip(jobs, tasks):
        result = task.result()
        problems.extend(result.problems)
        if result.card is not None and card is None:
            card = result.card
        if result.entry is None:
            continue
        ctx.cache.put("chart-deps", own_key, json.dumps(result.deps, sort_keys=True).encode("utf-8"))
        key = _compiled_key(own_key, result.deps, files.datasets, files.fact_set)
        for _, content in result.files:
            ctx.cache.put("chart-data", digest(content), content)
        ctx.cache.put("charts", key, result.entry.to_json())
        specs[job.chart_id] = result.entry.to_spec(job.rel_path, _csv_bytes(files.datasets), dict(result.files))
    return card


def _draft(value, where: SourceLocation, problems: list[Diagnostic]) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(error("front-matter-draft", f"`draft` must be true or false, not {as_text(value)!r}", where,
                          "write `draft: true` to keep the story unpublished, or remove the line"))
    return True  # unpublished until the author says otherwise


def _read_markdown(path: Path, rel_path: str, problems: list[Diagnostic], front_matter: bool):
    raw = _read(path, rel_path, problems)
    if raw is None:
        return FrontMatter(None, "", 0) if front_matter else None, None
    text, found = decode_utf8(raw, rel_path)
    if found:
        problems.extend(found)
        return FrontMatter(None, "", 0) if front_matter else None, None
    front = None
    offset = 0
    if front_matter:
        split, found = markup.split_front_matter(text, rel_path)
        problems.extend(found)
        if found:  # an unclosed front matter: the body cannot be told from it
            return None, None
        front = split
        text, offset = split.body, split.body_offset
    text = foreign_syntax.without_comments(text)  # an editor's note is for no reader
    text, found = footnotes.checked_notes(text, rel_path, offset)
    problems.extend(found)
    problems.extend(foreign_syntax.scan_foreign_syntax(text, rel_path, offset))
    problems.extend(markup.scan_images(text, rel_path, offset))
    directives, found = markup.scan_directives(text, rel_path, offset)
    problems.extend(found)
    blocks, found = markup.scan_steps(text, rel_path, offset)
    problems.extend(found)
    slug = re.sub(r"^\d+[-_]?", "", path.stem) or path.stem
    return front, Section(rel_path, slug, text, directives + _step_charts(blocks), offset, blocks)


def _without_repeated_title(intro: Section | None, sections: list[Section], title: str,
                            problems: list[Diagnostic]) -> tuple[Section | None, list[Section]]:
    """The story's text without a first `# Title` line that repeats `title:` (the page shows the
    title once); its `markdown-title-heading` warning then says the line is left out."""
    pieces = [piece for piece in [intro, *sections] if piece is not None]
    first = next((piece for piece in pieces if piece.markdown.strip()), None)
    index = foreign_syntax.repeated_title_line(first.markdown, title) if first and title else None
    if index is None:
        return intro, sections
    lines = first.markdown.split("\n")
    where = SourceLocation(first.path, index + 1 + first.line_offset, 1)
    problems[:] = [d for d in problems if not (d.code == "markdown-title-heading" and d.location == where)]
    problems.append(warning("markdown-title-heading", f"`{lines[index].strip()[:60]}` repeats the story's title: "
                            "the page leaves it out and shows the title once", where,
                            "remove the line: the title is the front matter's `title:`"))
    lines[index] = ""
    kept = replace(first, markdown="\n".join(lines))
    return (kept if first is intro else intro), [kept if section is first else section for section in sections]


def _step_charts(blocks) -> tuple[Directive, ...]:
    """A block of steps places its chart (once on the page, like {chart:id}); a step naming another
    chart shows only its pictures, so that chart may also be placed elsewhere."""
    found = []
    for block in blocks:
        found.append(Directive("chart", block.chart, "", block.location))
        found.extend(Directive("step-chart", step.chart, "", step.location)
                     for step in block.steps if step.chart != block.chart)
    return tuple(found)


def _front_matter_fields(data_: LineDict, path: str, locations: dict, problems: list[Diagnostic]) -> dict:
    """The front matter by our names, each key's location noted, unknown keys and other tools' names
    said; another tool's `date:` is read as `published:` when that is absent."""
    fields = dict(data_)
    for key in data_:
        locations[key] = SourceLocation(path, data_.line_of(key), data_.column_of(key))
        if key in OTHER_TOOLS_FIELDS:
            ours = OTHER_TOOLS_FIELDS[key]
            if ours and ours not in data_:
                fields[ours] = data_[key]
                locations[ours] = locations[key]
            problems.append(warning(
                "front-matter-field", f"`{key}` is another tool's front matter field", locations[key],
                (f"read as Broadsheet's `{ours}`: rename `{key}:` to `{ours}:`" if ours not in data_ else
                 f"the story has `{ours}:` already, so `{key}:` is ignored: remove it") if ours else
                "a Quarto, Pandoc, Jupyter or blog setting that Broadsheet does not use: remove the line"))
        elif key not in FRONT_MATTER_FIELDS:
            problems.append(warning("front-matter-field", f"unknown front matter field '{key}'", locations[key],
                                    f"{did_you_mean(str(key), FRONT_MATTER_FIELDS)}fields are "
                                    f"{', '.join(FRONT_MATTER_FIELDS)}"))
    return fields


def _front_matter(front, path: str, ctx: StoryContext, problems: list[Diagnostic]) -> dict:
    meta: dict[str, Any] = {"title": "", "dek": "", "byline": ctx.default_byline, "published": "", "updated": "",
                            "language": ctx.default_language, "lead_chart": "", "updates": (), "draft": False, "locations": {}}
    top = SourceLocation(path, 1)
    if front is None or front.text is None:
        if not any(p.code in ("front-matter-unclosed", "file-encoding", "file-unreadable") for p in problems):
            problems.append(error("front-matter-missing", "index.md has no front matter", top,
                                  "start the file with a block between two `---` lines holding at least "
                                  "`title:` and `published:`"))
        return meta
    loaded = yamlmap.load(front.text, path, line_offset=1)
    problems.extend(loaded.diagnostics)
    data_ = loaded.data
    if loaded.diagnostics:
        return meta
    if not isinstance(data_, LineDict):
        problems.append(error("front-matter-shape", "front matter must be `key: value` lines", top,
                              "write `title: …`, `published: 2023-05-15`…"))
        return meta
    fields = _front_matter_fields(data_, path, meta["locations"], problems)
    for key in ("title", "dek", "byline", "language", "lead_chart"):
        if key in fields and fields[key] is not None and not isinstance(fields[key], (list, dict)):
            meta[key] = as_text(fields[key]).strip()
    if not isinstance(fields.get("language", ""), str) or not i18n.is_known_language(meta["language"]):
        problems.append(error("front-matter-language", f"unknown language {as_text(fields.get('language'))!r}",
                              meta["locations"].get("language", top), "use a language code such as fr, en, de"))
        meta["language"] = ctx.default_language
    for key in ("published", "updated"):
        if key in fields:
            value = as_text(fields[key])
            if not is_iso_date(value):
                problems.append(error("front-matter-date", f"`{key}` must be a date like 2023-05-15, not {value!r}",
                                      meta["locations"][key], "write the date as YYYY-MM-DD"))
                value = ""
            meta[key] = value
    if not meta["title"]:
        problems.append(error("front-matter-title", "story has no title", top, "add `title: …` to the front matter"))
    if not meta["published"] and "published" not in fields:
        problems.append(error("front-matter-date", "story has no publication date", top,
                              "add `published: YYYY-MM-DD` to the front matter"))
    if "draft" in fields:
        meta["draft"] = _draft(fields["draft"], meta["locations"]["draft"], problems)
    if markup.DIRECTIVE.search(meta["byline"]):
        problems.append(error("front-matter-directive", "`byline` holds a directive, which a byline does "
                              "not resolve", meta["locations"].get("byline", top),
                              "write the names as plain words"))
    meta["front_lines"] = front.text.split("\n")  # line N of index.md is front_lines[N - 2]
    meta["front_lines"].insert(0, "---")
    meta["updated"] = meta["updated"] or meta["published"]
    meta["stale_after"] = data_.get("stale_after")
    meta["updates"], meta["note_locations"] = _updates(data_.get("updates"), path,
                                                       meta["locations"].get("updates", top), problems)
    if meta["updates"] and meta["updates"][0].date > meta["updated"]:
        meta["updated"] = meta["updates"][0].date  # the latest correction is the latest update
    return meta


def _updates(raw_updates, path: str, where: SourceLocation, problems: list[Diagnostic]):
    """The front matter's `updates:` list, newest first; each entry needs a real date and a note.
    Also where each note is written (its facts are printed once the facts are read: wording.py)."""
    updates, locations = [], []
    raw_updates = raw_updates or []
    if not isinstance(raw_updates, list):
        problems.append(error("front-matter-updates", "`updates` must be a list of {date, note}", where,
                              "write `- date: 2023-05-15` then `note: …`"))
    for item in raw_updates if isinstance(raw_updates, list) else []:
        if not isinstance(item, LineDict) or not is_iso_date(as_text(item.get("date"))) \
                or not as_text(item.get("note")):
            problems.append(error("front-matter-updates", "each update needs a date (YYYY-MM-DD, a real day) and a note",
                                  SourceLocation(path, getattr(item, "line", 0) or 1),
                                  "write `- date: 2023-05-15` and, under it, `note: …`"))
            continue
        note = as_text(item["note"]).strip()
        locations.append((note, SourceLocation(path, item.line_of("note"), item.column_of("note"))))
        named = item.get("facts") or []
        if not isinstance(named, list) or not all(isinstance(key, str) for key in named):
            problems.append(error("front-matter-updates", "`facts:` of an update must be a list of fact keys",
                                  SourceLocation(path, item.line_of("facts"), item.column_of("facts")),
                                  "write `facts: [contractors, hourly_wage]`: the facts whose published value it "
                                  "changes or removes"))
            named = []
        updates.append(Update(as_text(item["date"]), note, tuple(named)))
    return tuple(sorted(updates, key=lambda u: u.date, reverse=True)), tuple(locations)


def is_iso_date(text: str) -> bool:
    """2023-05-15, a date that exists (2023-02-30 does not)."""
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_LEGEND_BIND = re.compile(r"""\bbind["']?\s*[=:]\s*["']legend["']""")


def _legend_only(spec: ChartSpec, path: Path | None) -> list[Diagnostic]:
    """A selection made by clicking the legend cannot be made from the keyboard: said at the
    selection's `bind` line (the one after its name, when the name is written), in the chart's
    own language."""
    if not spec.legend_only or path is None:
        return []
    text = path.read_text("utf-8", errors="replace")
    json_chart = spec.path.endswith(".json")
    hint = ('bind it to radio buttons instead: "bind": {"input": "radio", "options": [null, …], '
            '"labels": ["All", …], "name": "Show "}' if json_chart else
            "bind it to radio buttons instead: bind=alt.binding_radio(options=[None, ...], "
            "labels=[\"All\", ...], name=\"Show \")")
    problems = []
    for name in spec.legend_only:
        named = re.search(rf"""["']{re.escape(name)}["']""", text)
        match = _LEGEND_BIND.search(text, named.end() if named else 0) or _LEGEND_BIND.search(text)
        line = text[: match.start()].count("\n") + 1 if match else 1
        column = match.start() - text.rfind("\n", 0, match.start()) if match else 0
        problems.append(warning("chart-keyboard", f"selection '{name}' of chart '{spec.id}' is bound to the legend, "
                                "which keyboard and screen-reader users cannot operate",
                                SourceLocation(spec.path, line, column), hint))
    return problems


def _shared_params(placed: Mapping[str, ChartSpec], chart_files: Mapping[str, Path]) -> list[Diagnostic]:
    """Inputs of one name on one page move together (a slider named like a fact moves the text
    too): two charts that bind a param of the same name with different starting values would show
    their static pictures at their own values, and their live views at the first chart's."""
    first: dict[str, tuple[str, Any]] = {}
    found = []
    for spec in placed.values():
        signals = spec.vega.get("signals") if spec.params else None
        for signal in signals if isinstance(signals, list) else []:
            if not (isinstance(signal, dict) and signal.get("bind") and isinstance(signal.get("name"), str)):
                continue
            name, value = signal["name"], signal.get("value")
            other = first.setdefault(name, (spec.id, value))
            if other[0] != spec.id and other[1] != value:
                found.append(warning("chart-param-shared", f"chart '{spec.id}' binds the input '{name}' starting at "
                                     f"{json.dumps(value)}, as chart '{other[0]}' does starting at {json.dumps(other[1])}: "
                                     "the page moves both together, so the live view would not be the picture",
                                     _line_of_name(spec.path, chart_files.get(spec.id), name),
                                     f"give the param another name in one of the charts (name=\"{name}_2\")"))
    return found


def _line_of_name(rel_path: str, path: Path | None, name: str) -> SourceLocation:
    """Where a chart file names a param (`name="seuil"`, `"name": "seuil"`), or its first line."""
    text = path.read_text("utf-8", errors="replace") if path is not None else ""
    match = re.search(r"""name["']?\s*[=:]\s*["']""" + re.escape(name) + """["']""", text)
    if not match:
        return SourceLocation(rel_path, 1)
    return SourceLocation(rel_path, text[: match.start()].count("\n") + 1, match.start() - text.rfind("\n", 0, match.start()))


def _unused_facts(fact_set: FactSet, directives, chart_facts: set[str]) -> list[Diagnostic]:
    used = {d.name for d in directives if d.kind in ("fact", "scenario")} | chart_facts
    frontier = list(used)
    while frontier:  # inputs of used derived facts count as used
        fact = fact_set.facts.get(frontier.pop())
        for name in fact.inputs if fact else ():
            if name not in used:
                used.add(name)
                frontier.append(name)
    return [warning("fact-unused", f"fact '{key}' is defined but never used", fact.location,
                    "cite it with {fact:" + key + "} or remove it from facts.yaml")
            for key, fact in fact_set.facts.items() if key not in used]


def cited_sources(fact_set: FactSet, fact_keys, specs) -> list[str]:
    """Source keys readers are pointed to, in order of first citation: the facts in the text,
    then what each chart names or reads."""
    keys: dict[str, None] = {}
    for key in fact_keys:
        for source in fact_set.facts[key].sources if key in fact_set.facts else ():
            keys.setdefault(source, None)
    for spec in specs:
        for source in spec.source_keys:
            keys.setdefault(source, None)
        for key in spec.facts_used:
            for source in fact_set.facts[key].sources if key in fact_set.facts else ():
                keys.setdefault(source, None)
    return list(keys)


def _unused_sources(fact_set: FactSet, directives, specs: Mapping[str, ChartSpec]) -> list[Diagnostic]:
    cited = set(cited_sources(fact_set, [d.name for d in directives if d.kind == "fact"], specs.values()))
    return [warning("source-unused", f"source '{key}' is cited by no fact and no chart", source.location,
                    "cite it from a fact (`source: " + key + "`) or a chart (`SOURCES = [\"" + key + "\"]`), "
                    "or remove it")
            for key, source in fact_set.sources.items() if key not in cited]


def _cached_chart(chart_id: str, path: Path, rel, datasets: Mapping[str, DataFile], fact_set: FactSet,
                  language: str, ctx: StoryContext, facts_text: str, original_language: str = ""):
    """(spec from the cache or None, problems, a ChartJob to compile or None).

    The cache is keyed in two steps. The chart's own inputs (code, theme, language, tool versions)
    name a record of what it read last time: which CSVs and which facts. The compiled chart is then
    keyed by those inputs plus the bytes of exactly those CSVs and facts, so editing one CSV, or a
    fact no chart reads, recompiles only the charts that depend on it.
    """
    problems: list[Diagnostic] = []
    source = _read(path, rel(path), problems)
    if source is None:
        return None, problems, None
    text = source.decode("utf-8", errors="replace")
    own_key = digest("chart-deps-v1", chart_id, path.name, source, ctx.theme_text, language, original_language,
                     _tool_versions())
    deps = ctx.cache.get("chart-deps", own_key)
    if deps is not None:
        key = _compiled_key(own_key, json.loads(deps), datasets, fact_set)
        cached = ctx.cache.get("charts", key) if key else None
        entry = charts.CompiledChart.from_json(cached) if cached else None
        spec = entry.to_spec(rel(path), _csv_bytes(datasets), None, ctx.cache) if entry else None
        if spec is not None:  # None too when a data file it needs has left the cache
            problems = charts.check_chart_sources(spec.source_keys, chart_id, rel(path), text, fact_set)
            return (None if problems else spec), problems + list(entry.warnings), None
    job = charts.ChartJob(chart_id, str(path.resolve()), rel(path), text,
                             tuple((name, ds.path, ds.raw, ds.table) for name, ds in sorted(datasets.items())),
                             facts_text, fact_set.path, ctx.theme, language, cache=ctx.cache,
                             original_language=original_language,
                             computed=tuple((key, (fact.value, fact.query)) for key, fact in fact_set.facts.items()
                                            if fact.query is not None and fact.value is not None))
    return None, [], (job, own_key)


def _compiled_key(own_key: str, deps: dict, datasets: Mapping[str, DataFile], fact_set: FactSet) -> str:
    """The compiled chart's key, or '' when something it read is gone (then it must run again)."""
    parts: list[bytes | str] = [own_key]
    for name in deps["datasets"]:
        if name not in datasets:
            return ""
        parts += [name, datasets[name].digest]
    for key in deps["facts"]:
        fact = fact_set.facts.get(key)
        if fact is None:
            return ""
        parts += [key, json.dumps([fact.value, fact.unit, fact.as_of, fact.status, fact.note, list(fact.sources)])]
    return digest("chart-v21", *parts)


@lru_cache(maxsize=1)
def _tool_versions() -> str:
    """The tools a compiled chart came from: the chart libraries and Broadsheet's own code."""
    from importlib.metadata import version
    return (f"altair {version('altair')}; vl-convert-python {version('vl-convert-python')}; "
            f"vegafusion {version('vegafusion')}; broadsheet {engine_fingerprint()}")


def _csv_bytes(datasets: Mapping[str, DataFile]) -> dict[str, bytes]:
    return {name: dataset.raw for name, dataset in datasets.items()}


def _checked_csv(raw: bytes, path: str, stem: str, cache) -> tuple[DataFile | None, list[Diagnostic]]:
    """A story CSV checked: its problems, from the cache when these bytes were checked before (reading a
    large file in Python is slow). When it is read, a large
    table keeps its typed columns for the chart workers (marshal, which reads back far faster than a CSV parse)."""
    key = digest("csv-check-v2", path, stem, raw)
    known = cache.get("csv-checks", key)
    if known is not None:
        return DataFile(stem, path, raw, key), [
            Diagnostic(d["severity"], d["code"], d["message"], SourceLocation(path, d["line"], d["column"]), d["hint"])
            for d in json.loads(known)]
    dataset, problems = data.parse_data(raw, path, stem)
    if dataset is None:
        return None, problems
    cache.put("csv-checks", key, json.dumps([{"severity": d.severity, "code": d.code, "message": d.message,
                                               "line": d.location.line, "column": d.location.column,
                                               "hint": d.hint} for d in problems]).encode("utf-8"))
    large = len(dataset.rows) > charts.INLINE_ROWS
    columns_data = getattr(dataset.rows, "columns_data", None) or [[row.get(c) for row in dataset.rows]
                                                                     for c in dataset.columns]
    table = marshal.dumps((dataset.columns, columns_data)) if large else b""
    return DataFile(stem, path, raw, key, table), problems
