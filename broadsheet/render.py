"""Story -> HTML pages through the Jinja2 templates of site_src/ (Jinja2 lives here only).

Autoescape is on and undefined names fail, so a template typo is a bug caught by the tests,
not an empty spot on a published page. Every internal URL is relative to the page, so the site
works from any base path and from disk.
"""
from __future__ import annotations

import dataclasses
import functools
import gettext
import hashlib
import html as html_module
import json
import posixpath
import re
import traceback
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import jinja2
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape

from . import i18n, ledger, typography
from .cache import current, keep_current
from .catalogs import Catalog
# markup (Markdown), steps, controls and story are imported where a story's page is rendered: a
# build that takes every story as it was renders only the pages that list them, and never loads them.
from .diagnostics import Diagnostic, SourceLocation, error, relative_path
from .manifest import listing_keys, listings_key
from .model import (NARROW_MEDIA, SHAPES_FOLDER, TABLE_ROWS, ChartSpec, Fact, Listing, OutputFile, PackedFile, Site,
                    Step, StepBlock, Story, site_data_path)



@dataclass(frozen=True)
class Locations:
    """Where files already planned live in the output (site paths)."""

    assets: Mapping[str, str]  # logical name (css/site.css) -> content-hashed path
    charts: Mapping[tuple[str, str], str]  # (story slug, chart id) -> static SVG; "id/narrow" for phones
    cards: Mapping[str, str]  # story slug -> social card PNG


def make_environment(templates: Path, cache=None) -> jinja2.Environment:
    """One environment per templates folder per process: compiled templates are kept, and
    Jinja recompiles a template whose file changed (auto_reload), which the preview server needs.
    With a `cache` (a DiskCache), compiled templates also survive the process (a cached build
    skips compiling them), sealed with their hash like the cache's other entries."""
    env = _environment(templates, cache is not None and cache.folder("templates") is not None)
    if env.bytecode_cache is not None:
        env.bytecode_cache.store = cache  # this build's: it reports what it finds wrong
    return env


class _SealedBytecode(jinja2.BytecodeCache):
    """Compiled templates in the build's cache. Jinja's own file cache would run an altered file
    as the template's code (a page changed in silence), or stop on a damaged one with a traceback."""

    def __init__(self):
        self.store = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        raw = self.store.get("templates", _bytecode_key(bucket))
        if raw is not None:
            bucket.bytecode_from_string(raw)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.put("templates", _bytecode_key(bucket), bucket.bytecode_to_string())


def _bytecode_key(bucket) -> str:
    return hashlib.sha256(f"jinja {jinja2.__version__} {bucket.key} {bucket.checksum}".encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _environment(templates: Path, keeps_bytecode: bool) -> jinja2.Environment:
    cache = _SealedBytecode() if keeps_bytecode else None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=cache,
        autoescape=jinja2.select_autoescape(["html", "xml"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["json_script"] = json_for_script
    env.filters["js_parts"] = _js_parts
    return env


def json_for_script(value: Any) -> Markup:
    """JSON safe inside <script>: '<', '>' and '&' escaped so data can never close the tag."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"),
                                                           ensure_ascii=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def relative(from_page: str, target: str) -> str:
    """URL of `target` (a site path; '' or ending in '/' for a folder) from the page `from_page`."""
    base = posixpath.dirname(from_page) or "."
    is_folder = target == "" or target.endswith("/")
    rel = posixpath.relpath(target.rstrip("/") or ".", base)
    if is_folder:
        return "./" if rel == "." else rel + "/"
    return rel


class TemplateProblem(Exception):
    """A template of site_src/ failed: carries the diagnostic (template file:line)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


AUTHOR_ERRORS = (TemplateProblem, jinja2.TemplateError)  # a template's mistake: the render reports it, with its line


def render_site(site: Site, env: jinja2.Environment, locations: Locations, root: Path, cache=None,
                catalogs: Callable[[str], Catalog] | None = None, listed: tuple | None = None) -> list[OutputFile]:
    """All pages of the site: index, stories, one embed page per chart, 404. Rendered sections
    are kept in `cache` (a DiskCache) when one is given. `listed`: (`listings`, their
    manifest.listing_keys), when the caller has them already.
    A template mistake (syntax, unknown name) becomes a TemplateProblem naming its line."""
    try:
        return _render_pages(site, env, locations, cache, catalogs, listed)
    except jinja2.TemplateSyntaxError as exc:
        where = SourceLocation(relative_path(Path(exc.filename or exc.name or "?"), root), exc.lineno or 0)
        raise TemplateProblem(error("template-error", f"template syntax: {exc.message}", where,
                                    "check the {% %} and {{ }} tags on this line")) from None
    except jinja2.TemplateError as exc:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        where = SourceLocation(relative_path(Path(frames[-1].filename), root), frames[-1].lineno or 0) if frames \
            else SourceLocation("site_src/templates")
        raise TemplateProblem(error("template-error", f"template failed: {exc}", where,
                                    "a name used on this line does not exist in the page's context; "
                                    "the names each template receives are listed in docs/templates.md")) from None


def _render_pages(site: Site, env: jinja2.Environment, locations: Locations, cache=None,
                  catalogs: Callable[[str], Catalog] | None = None, listed: tuple | None = None) -> list[OutputFile]:
    pages = []
    config = site.config
    catalogs = catalogs or english

    def page(path: str, template: str, lang: str, meta: dict, **context) -> OutputFile:
        values = {**page_words(site, lang, catalogs), "meta": meta,
                  "chart_style": Markup(site.chart_style) if template in ("story.html", "embed.html") else "",
                  "alternates": [], "feed_path": feed_path(site, lang), "home": home_path(lang, homes), **context}
        html = env.get_template(template).render(
            **values, page_path=path, asset=lambda name: relative(path, locations.assets[name]),
            url=lambda target: relative(path, target))
        if typography.for_language(lang) is typography.french:
            html = typography.ordinals_html(html)
        return PackedFile(path, html.encode("utf-8"))

    every, keys = listed or _listed(site, locations)
    homes = language_homes(site, every)
    words = catalogs(config.language)
    pages += _language_home_pages(site, homes, page)
    pages += _listing_pages(site, [s for s in every if "/" not in s.slug], page, cache,
                            _listing_inputs(env, locations) + words.key, words.gettext,
                            home_alternates(site, homes, "index.html"), keys)
    for story in site.stories:
        story_path = f"{story.slug}/"
        meta = _meta(site, story_path, story.title, story.dek, locations.cards.get(story.slug, ""), "article",
                     story.language)
        meta["noindex"] = meta["draft"] = story.draft
        catalog = catalogs(story.language)
        inputs = _render_inputs(story, env, locations, site, catalog)
        pages.append(page(f"{story.slug}/index.html", "story.html", story.language, meta,
                          lead=lead_picture(story, f"{story.slug}/index.html", locations),
                          alternates=alternates(story, site, f"{story.slug}/index.html"),
                          ledger_path=ledger.page_path(story, catalog.gettext)[:-len("index.html")],
                          **story_context(story, env, locations, site, cache, inputs, catalog)))
        ledger_path = ledger.page_path(story, catalog.gettext)
        pages.append(page(ledger_path, "ledger.html", story.language,
                          {**_meta(site, ledger_path[:-len("index.html")], story.title, story.dek, "", "website",
                                   story.language),
                           "title": catalog.gettext("How we know")},
                          story=story, rows=ledger.rows(story, catalog.gettext),
                          alternates=alternates(story, site, ledger_path, ledger_folder(catalogs)),
                          as_of_phrase=lambda iso, language=story.language, words=catalog: as_of_phrase(iso, language,
                                                                                                          words)))
        for chart in story.charts.values():
            path = f"{story.slug}/embed/{chart.id}/index.html"
            embed_meta = _meta(site, f"{story.slug}/embed/{chart.id}/", chart.title, chart.alt, "", "website")
            embed_meta["noindex"] = True
            figure = embed_figure(story, chart, env, locations, site, cache, inputs, catalog)
            pages.append(page(path, "embed.html", story.language, embed_meta, story=story,
                              chart_html=Markup(figure), chart_locale=chart_locale(story.language)))
    not_found = env.get_template("404.html").render(
        **page_words(site, config.language, catalogs), page_path="404.html", alternates=[],
        feed_path=feed_path(site, config.language),
        meta={**_meta(site, "404.html", "404", "", "", "website"), "noindex": True, "canonical": ""},
        asset=lambda name: config.base_url + locations.assets[name],
        url=lambda target: config.base_url + target)
    pages.append(OutputFile("404.html", not_found.encode("utf-8")))
    return pages


HOME_STORIES = 30  # the newest stories the home page lists; past them, archive pages by year
ARCHIVE_PAGE = 100  # stories per archive page


def lists_stories(path: str) -> bool:
    """Whether a site path is one of the pages `_listing_pages` makes: the home page, the archive
    pages by year."""
    return path == "index.html" or path.startswith("archives/")


def _listing_inputs(env: jinja2.Environment, locations: Locations) -> str:
    """What every page that lists stories shows besides its stories: its templates and the assets."""
    templates = [_source(env, name) for name in ("base.html", "index.html", "archive.html", "_story_card.html",
                                                           "_switcher.html")]
    return json.dumps([templates, dict(locations.assets), _code_version()], sort_keys=True)


def _source(env: jinja2.Environment, name: str) -> str:
    """A template's text, or '' when the site's templates lack it (rendering it will say so)."""
    try:
        return env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        return ""


def _listed(site: Site, locations: Locations) -> tuple[list[Listing], dict[str, str]]:
    every = listings(site, locations)
    return every, listing_keys(every, site.archived)


def _listing_pages(site: Site, stories: list[Listing], page, cache, inputs: str, words,
                   alternates: list | None, keys: dict[str, str]) -> list[OutputFile]:
    """The home page (the newest stories, and links to the years) and, for a site with more stories
    than that, an archive page by year, paginated. Each page is kept under everything it shows, so
    a build re-renders only the pages whose stories changed; and all of them under the key of
    every story's listing (`keys`: manifest.listing_keys), so that a build where no story's listing
    changed reads them at once, without looking at 10,000 stories again. That entry is one per
    set of templates, replaced by each build that renders them: an archive's pages are megabytes,
    and the cache keeps what it is given."""
    whole = _whole_listing_key(site, inputs, alternates, listings_key(keys)) if cache is not None else ""
    slot = hashlib.sha256(("listing-pages\0" + inputs).encode("utf-8")).hexdigest()
    held = current(cache, "listing-pages", slot, whole) if whole else None
    if isinstance(held, list) and all(isinstance(item, list) and len(item) == 2 for item in held):
        return [OutputFile(path, html.encode("utf-8")) for path, html in held]
    pages = _each_listing_page(site, stories, page, cache, inputs, words, alternates, keys)
    if whole:
        keep_current(cache, "listing-pages", slot, whole, [[p.path, p.content.decode("utf-8")] for p in pages])
    return pages


def _whole_listing_key(site: Site, inputs: str, alternates: list | None, every_key: str) -> str:
    return hashlib.sha256(json.dumps([inputs, every_key, site.config, site.generated, alternates], default=_fields,
                                     sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _each_listing_page(site: Site, stories: list[Listing], page, cache, inputs: str, words,
                       alternates: list | None, keys: dict[str, str]) -> list[OutputFile]:
    config = site.config
    stories = sorted((s for s in stories if not s.draft), key=lambda s: (s.published, s.slug), reverse=True)
    by_year: dict[str, list[Listing]] = {}
    for story in stories if len(stories) > HOME_STORIES else []:
        by_year.setdefault(story.published[:4], []).append(story)
    years = [{"year": year, "path": f"archives/{year}/", "count": len(items)} for year, items in by_year.items()]

    def kept(path: str, template: str, meta: dict, **context) -> OutputFile:
        listed = [keys[story.slug] for story in context["stories"]]  # `leads` are theirs
        rest = {name: value for name, value in context.items() if name not in ("stories", "leads")}
        key = json.dumps([path, template, meta, rest, listed, config, site.generated], default=_fields,
                         sort_keys=True, ensure_ascii=False)
        html = _kept(cache, ("listing-page", inputs, key),
                     lambda: page(path, template, config.language, meta, **context).content.decode("utf-8"))
        return OutputFile(path, html.encode("utf-8"))

    newest_card = next((s.card for s in stories if s.card), "")
    home = stories[:HOME_STORIES]
    pages = [kept("index.html", "index.html", _meta(site, "", config.title, config.description, newest_card, "website"),
                  stories=home, leads={story.slug: story.lead for story in home}, years=years,
                  alternates=alternates or [])]
    for year, items in by_year.items():
        chunks = [items[start:start + ARCHIVE_PAGE] for start in range(0, len(items), ARCHIVE_PAGE)]
        paths = [f"archives/{year}/" + (f"{number}/" if number > 1 else "") for number in range(1, len(chunks) + 1)]
        for number, (chunk, path) in enumerate(zip(chunks, paths), start=1):
            title = words("Stories of %(year)s") % {"year": year}
            pages.append(kept(path + "index.html", "archive.html", _meta(site, path, title, "", "", "website"),
                              stories=chunk, year=year, years=years, page=number, pages=len(chunks),
                              previous=paths[number - 2] if number > 1 else "",
                              next=paths[number] if number < len(chunks) else ""))
    return pages


def listings(site: Site, locations: Locations) -> list[Listing]:
    """Every story of the site as the pages that list stories see it: those this build loaded, and
    those it took as they were (drafts included: each list leaves them out)."""
    loaded = [Listing(s.slug, s.path, s.title, s.dek, s.byline, s.published, s.updated, s.language, s.draft,
                      lead_picture(s, "index.html", locations), locations.cards.get(s.slug, ""), s.alternates)
              for s in site.stories]
    return loaded + [story.listing for story in site.archived]


def language_homes(site: Site, every: list[Listing]) -> dict[str, list[Listing]]:
    """{"LL/": the stories published in LL, newest first} for each language other than the site's
    that a story is published in under `LL/`: each gets a home page of its own at `LL/`, with its
    words; the site's home ("") lists every story at its `SLUG/` version."""
    homes: dict[str, list[Listing]] = {}
    for story in sorted((s for s in every if not s.draft and "/" in s.slug), key=lambda s: (s.published, s.slug),
                        reverse=True):
        if story.language != site.config.language:
            homes.setdefault(f"{story.language}/", []).append(story)
    return {"": [], **dict(sorted(homes.items()))}


def _language_home_pages(site: Site, homes: Mapping[str, list], page) -> list[OutputFile]:
    """`LL/index.html` for each language with a home of its own: its stories, in its words."""
    return [page(f"{home}index.html", "index.html", home[:-1], home_meta(site, home), stories=stories,
                 leads={story.slug: story.lead for story in stories}, years=[],
                 alternates=home_alternates(site, homes, f"{home}index.html"))
            for home, stories in homes.items() if home]


def home_path(lang: str, homes: Mapping[str, list]) -> str:
    """The home page a page in `lang` links to: its language's (`LL/`) when there is one."""
    return f"{lang}/" if f"{lang}/" in homes else ""


def home_meta(site: Site, home: str) -> dict:
    config = site.config.in_language(home[:-1])
    return _meta(site, home, config.title, config.description, "", "website", home[:-1])


def home_alternates(site: Site, homes: Mapping[str, list], page_path: str) -> list[dict]:
    """The home pages of every language, for `hreflang` (x-default: the site's home)."""
    if len(homes) < 2:
        return []
    root = site.config.absolute_url.rstrip("/") + "/" if site.config.absolute_url else ""
    return [{"lang": home[:-1] or site.config.language, "name": i18n.language_name(home[:-1] or site.config.language),
             "url": relative(page_path, home), "href": root + home if root else relative(page_path, home),
             "current": page_path == f"{home}index.html", "default": not home}
            for home in homes]


def feed_path(site: Site, language: str) -> str:
    """The Atom feed of a language: `feed.xml` for the site's, `LL/feed.xml` for each other."""
    return "feed.xml" if language == site.config.language else f"{language}/feed.xml"


def alternates(story: Story, site: Site, page_path: str, folder: Callable[[str], str] | None = None) -> list[dict]:
    """The story in each of its languages, for the `hreflang` links and the language switcher:
    its URL from this page (plain links: the switcher works without JavaScript), an absolute one
    for `hreflang` when the site has an address, and which one is the default (`x-default`: the
    version at `SLUG/`). With `folder`, a page of the story's (language -> its folder there, such
    as the "how we know" page's) in each language."""
    if not story.alternates:
        return []
    root = site.config.absolute_url.rstrip("/") + "/" if site.config.absolute_url else ""
    found = []
    for language, story_path in story.alternates:
        path = story_path + (f"{folder(language)}/" if folder else "")
        found.append({"lang": language, "name": i18n.language_name(language), "url": relative(page_path, path),
                      "href": root + path if root else relative(page_path, path),
                      "current": language == story.language, "default": "/" not in story_path.rstrip("/")})
    return found


def ledger_folder(catalogs: Callable[[str], Catalog]) -> Callable[[str], str]:
    """language -> the folder of a story's "how we know" page in it (`comment-nous-le-savons`)."""
    return lambda language: ledger.page_path_in(catalogs(language).gettext)


def english(language: str) -> Catalog:
    """No catalogs given (a test's render): every word in English, the msgids."""
    return Catalog(language, gettext.NullTranslations(), ())


def chart_locale(language: str) -> str:
    """The d3 number and time locale the page script gives Vega (the build drew with the same)."""
    return json.dumps(i18n.d3_locales(language), sort_keys=True, ensure_ascii=False)


def page_words(site: Site, lang: str, catalogs: Callable[[str], Catalog]) -> dict:
    """What every template receives to speak the page's language: `_` and `ngettext` from its
    catalog (`words_for(lang)` for a text in another language, a story card on the home page),
    dates, typography, the text direction, and the page script's words."""
    catalog = catalogs(lang)
    return {"site": site.config.in_language(lang), "generated": site.generated.isoformat(), "lang": lang,
            "home": "",  # the home page the site's header links to (a page in a language with its own: `LL/`)
            "dir": i18n.text_direction(lang), "dir_of": i18n.text_direction,
            "_": translator(catalog), "ngettext": plural_translator(catalog),
            "words_for": lambda language: translator(catalogs(language)),
            "format_date": lambda iso, language=lang: i18n.format_date(iso, language),
            "typo": typography.plain(lang), "typo_for": typography.plain,
            "script_words": json.dumps(catalog.script_words(), sort_keys=True, ensure_ascii=False)}


def translator(catalog: Catalog) -> Callable[..., str]:
    """`_("Source: %(source)s", source=…)`: the catalog's text, its values escaped unless they are
    already HTML (Markup), so a translation can never inject markup and a link stays a link."""
    def gettext(msgid: str, **values) -> str:
        text = catalog.gettext(msgid)
        return Markup(markupsafe_escape(text)) % values if values else text
    return gettext


def plural_translator(catalog: Catalog) -> Callable[..., str]:
    def ngettext(singular: str, plural: str, count: int, **values) -> str:
        values.setdefault("num", count)
        return Markup(markupsafe_escape(catalog.ngettext(singular, plural, count))) % values
    return ngettext


def lead_picture(story: Story, page_path: str, locations: Locations) -> dict | None:
    """The story's lead chart as the picture drawn at build time, for the top of its page and its
    card on the home page (the same files as its figure, so a reader downloads nothing more):
    what the story is about is seen before the first paragraph, with JavaScript or without."""
    chart = story.charts.get(story.lead_chart) or next(iter(story.charts.values()), None)
    if chart is None or (story.slug, chart.id) not in locations.charts:
        return None
    narrow = locations.charts.get((story.slug, chart.id + "/narrow")) if chart.narrow is not None else None
    return {"id": chart.id, "title": typography.plain(story.language)(chart.title), "alt": chart.alt,
            "url": relative(page_path, locations.charts[(story.slug, chart.id)]), "width": chart.width,
            "height": chart.height, "narrow_url": relative(page_path, narrow) if narrow else "",
            "narrow_width": chart.narrow.width if narrow else 0, "narrow_height": chart.narrow.height if narrow else 0,
            "media": NARROW_MEDIA}


def _meta(site: Site, path: str, title: str, description: str, image: str, kind: str, language: str = "") -> dict:
    """Canonical URL, Open Graph and Twitter card values for one page (absolute when configured),
    its locale the page's language (the site's when not given)."""
    config = site.config
    root = config.absolute_url.rstrip("/") + "/" if config.absolute_url else ""
    locale = i18n.og_locale(language or config.language)
    return {"canonical": root + path if root else "", "title": title, "description": description,
            "image": (root + image) if (root and image) else "", "kind": kind, "site_name": config.title,
            "locale": locale, "noindex": False}


def table_folder(story: Story, name: str) -> str:
    """Where a chart's table is written: the translation's own folder for the tables whose rows it
    words its own way, the folder every language shares for the others."""
    return story.slug if name in story.own_tables else story.data_slug


def _chart_figure(story: Story, chart: ChartSpec, env: jinja2.Environment, page_path: str, locations: Locations,
                  site: Site, catalog: Catalog, embed: bool = False) -> str:
    lang = story.language
    typo = typography.plain(lang)
    shown = dataclasses.replace(chart, title=typo(chart.title), caption=typo(chart.caption),
                                source=typo(chart.source))  # what the figure prints (the alt stays as written)
    embed_path = f"{story.slug}/embed/{chart.id}/"
    root = site.config.absolute_url.rstrip("/") + "/" if site.config.absolute_url else site.config.base_url
    return env.get_template("_chart.html").render(
        chart=shown, svg_url=relative(page_path, locations.charts[(story.slug, chart.id)]),
        narrow_svg_url=(relative(page_path, locations.charts[(story.slug, chart.id + "/narrow")])
                        if chart.narrow is not None else ""),
        narrow_media=NARROW_MEDIA,
        tables=[{"table": table, "rows": table.rows[:TABLE_ROWS],
                 "more": max(0, table.row_count - TABLE_ROWS),
                 "more_text": i18n.format_value(max(0, table.row_count - TABLE_ROWS), "", lang, "number"),
                 "csv_url": relative(page_path, f"{table_folder(story, table.name)}/data/{table.name}.csv"),
                 "cells": _cells(table.columns, table.rows[:TABLE_ROWS], lang, table.kinds)}
                for table in chart.tables],
        bindings=chart.binding_lines, _=translator(catalog), ngettext=plural_translator(catalog), embed=embed,
        data_base=relative(page_path, f"{story.data_slug}/") if chart.data_files else "",
        shapes_urls=[relative(page_path, site_data_path(story.data_slug, name))
                     for name, _ in chart.data_files if name.startswith("data/shapes.")],
        shapes_base=relative(page_path, SHAPES_FOLDER) if any(n.startswith("data/shapes.") for n, _ in chart.data_files) else "",
        story_url=relative(page_path, f"{story.slug}/") + f"#chart-{chart.id}",
        embed_code=(f'<iframe src="{_attr(root + embed_path)}" title="{_attr(chart.title)}" width="100%" '
                    f'height="{chart.height + 160}" style="border:0" loading="lazy" data-broadsheet-embed></iframe>'
                    f'<script src="{_attr(root + locations.assets.get("js/embed.js", "assets/js/embed.js"))}" '
                    'async></script>'),
    ).strip()


def embed_figure(story: Story, chart: ChartSpec, env: jinja2.Environment, locations: Locations, site: Site,
                 cache=None, inputs: str | None = None, catalog: Catalog | None = None) -> str:
    """The figure of a chart's embed page, kept under everything it shows (see `_kept`)."""
    path = f"{story.slug}/embed/{chart.id}/index.html"
    catalog = catalog or english(story.language)
    return _kept(cache, (inputs or _render_inputs(story, env, locations, site, catalog), "embed", chart.id),
                 lambda: _chart_figure(story, chart, env, path, locations, site, catalog, embed=True))


_SECTION_MEMO: dict = {}  # rendered sections of this process, keyed by everything they show
_SECTION_MEMO_SIZE = 512


def _remember(key: tuple, value: tuple) -> None:
    if len(_SECTION_MEMO) >= _SECTION_MEMO_SIZE:
        _SECTION_MEMO.clear()
    _SECTION_MEMO[key] = value


_FIGURE_MEMO: dict[str, str] = {}  # embed figures this process made (the build's early render), by key


def _fields(value) -> Any:
    """A dataclass (a Listing) as its fields, for a JSON key: the same whether the story was read by
    this build (tuples) or taken from the record of the last one (lists, read from JSON); its repr
    differs between the two, and a build right after a cold one rendered every listing page again."""
    return vars(value) if hasattr(value, "__dict__") else str(value)


def _kept(cache, key: tuple, make) -> str:
    """HTML made by `make()`, or as this process or an earlier build made it under the same inputs
    (`key`)."""
    if cache is None:
        return make()
    name = hashlib.sha256("\0".join(key).encode("utf-8")).hexdigest()
    if name in _FIGURE_MEMO:
        return _FIGURE_MEMO[name]
    kept = cache.get("figures", name)
    html = kept.decode("utf-8") if kept is not None else make()
    if kept is None:
        cache.put("figures", name, html.encode("utf-8"))
    if len(_FIGURE_MEMO) >= _SECTION_MEMO_SIZE:
        _FIGURE_MEMO.clear()
    _FIGURE_MEMO[name] = html
    return html


def _js_parts(text) -> Markup:
    from .controls import escape_html

    return Markup(escape_html(str(text)))


def story_context(story: Story, env: jinja2.Environment, locations: Locations, site: Site, cache=None,
                  inputs: str | None = None, catalog: Catalog | None = None) -> dict:
    """Everything story.html needs: the sections as HTML, the sources cited, the updates.

    A section's HTML depends on its text, the story's facts and charts, the templates and the
    catalog; it is remembered under those, in this process (the preview re-renders only the section
    that was edited) and in `cache` on disk (a build re-renders only the sections whose inputs changed).
    Ids inside a section (fact popovers, footnotes) carry the section's file name, so they stay unique.
    """
    from .story import cited_sources

    catalog = catalog or english(story.language)
    sections_of = _Sections(story, env, locations, site, catalog, cache,
                            inputs or _render_inputs(story, env, locations, site, catalog))
    intro_html = sections_of.render(story.intro, "intro") if story.intro else Markup("")
    sections = [{"slug": s.slug, "html": sections_of.render(s, posixpath.splitext(posixpath.basename(s.path))[0])}
                for s in story.sections]
    seen_ids: set[str] = set()
    intro_html = _unique_heading_ids(intro_html, seen_ids)
    for section in sections:
        section["html"] = _unique_heading_ids(section["html"], seen_ids)
    cited = cited_sources(story.facts, sections_of.cited_facts, sections_of.placed_charts)
    sources = [story.facts.sources[key] for key in cited if key in story.facts.sources]
    changes = [[{"was": entry["printed"], "now": i18n.format_value(story.facts.facts[key].value,
                                                                   story.facts.facts[key].unit, story.language)
                 if key in story.facts.facts else ""}
                for key, history in story.corrections.items() for entry in history
                if entry["until"] == update.date and entry["note"] == update.note] for update in story.updates]
    return {"story": story, "intro_html": intro_html, "sections": sections, "update_changes": changes,
            "sources": sources, "has_charts": bool(story.charts), "chart_locale": chart_locale(story.language),
            # the sources list says every number links to its source only when it is so
            "every_number_sourced": not story.bare_numbers}


class _Sections:
    """Renders a story's sections one by one, remembering what each cites (facts, charts)."""

    def __init__(self, story: Story, env: jinja2.Environment, locations: Locations, site: Site, catalog: Catalog,
                 cache, base_key: str):
        self.story, self.env, self.locations, self.site, self.catalog = story, env, locations, site, catalog
        self.cache, self.base_key = cache, base_key
        self.lang = story.language
        self.words = translator(catalog)
        self.fact_template = env.get_template("_fact.html")
        self.typo = typography.plain(self.lang)
        self.live_params = {name for chart in story.charts.values() for name in chart.params}
        self.state = {"prefix": "", "n": 0, "facts": [], "charts": []}
        self.convert = None
        self.cited_facts: list[str] = []
        self.placed_charts: list[ChartSpec] = []

    def fact_html(self, key: str, style: str) -> str:
        story, lang, state = self.story, self.lang, self.state
        fact = story.facts.facts.get(key)
        if fact is None:  # the checks reported it; never reached, but text rather than a traceback
            return html_module.escape(f"{{fact:{key}}}")
        state["n"] += 1
        state["facts"].append(key)
        inputs = [i18n.format_value(story.facts.facts[name].value, story.facts.facts[name].unit, lang)
                  for name in fact.inputs if name in story.facts.facts]
        return self.fact_template.render(
            fact=dataclasses.replace(fact, note=self.typo(fact.note)) if fact.note else fact, style=style,
            text=i18n.format_value(fact.value, fact.unit, lang, style),
            sources=[story.facts.sources[s] for s in fact.sources if s in story.facts.sources],
            inputs=i18n.format_list(inputs, lang) if inputs else "",
            popover_id=f"fact-{state['prefix']}-{key}-{state['n']}", correction=self.correction(key),
            _=self.words, lang=lang, format_date=lambda iso: i18n.format_date(iso, lang),
            as_of_phrase=lambda iso: as_of_phrase(iso, lang, self.catalog)).strip()

    def correction(self, key: str) -> dict | None:
        """The latest correction of a fact, as its number shows it: {date, was}."""
        history = self.story.corrections.get(key)
        if not history:
            return None
        return {"date": i18n.format_date(history[-1]["until"], self.lang), "was": history[-1]["printed"]}

    def fact_text(self, key: str, style: str) -> str:
        fact = self.story.facts.facts.get(key)
        return i18n.format_value(fact.value, fact.unit, self.lang, style) if fact is not None else f"{{fact:{key}}}"

    def chart_html(self, chart_id: str, count: bool = True) -> str:
        if chart_id not in self.story.charts:  # likewise
            return "<p>" + html_module.escape(f"{{chart:{chart_id}}}") + "</p>"
        if count:
            self.state["charts"].append(chart_id)
        return _chart_figure(self.story, self.story.charts[chart_id], self.env, f"{self.story.slug}/index.html",
                             self.locations, self.site, self.catalog)

    def steps_html(self, part: str, block_number: int, step_number: int) -> str:
        """The HTML around a scrolly block's steps (markup._StepBlocks): the block opens with the
        chart's own figure (the stage the live view stays in), each step holds its state's picture
        and the data the script sets the live view with."""
        from . import markup, steps as steps_module

        blocks = self.state["piece"].steps
        if block_number >= len(blocks) or blocks[block_number].chart not in self.story.charts:
            return ""  # the checks reported it
        block, template = blocks[block_number], self.env.get_template("_steps.html")
        common = {"part": part, "block_id": f"{self.state['prefix']}-{block_number + 1}", "_": self.words}
        if part == "open":
            self.state["charts"].append(block.chart)
            chart = self.story.charts[block.chart]
            defaults = {param["signal"]: param.get("value") for param in steps_module.settable(chart.vega).values()}
            return template.render(common, chart_id=block.chart, defaults=json.dumps(defaults, ensure_ascii=False),
                                   figure=Markup(self.chart_html(block.chart, count=False)))
        if part != "step":
            return template.render(common)
        if step_number >= len(block.steps):
            return ""
        step = block.steps[step_number]
        picture = self._step_picture(block, step)
        if picture is None:
            return template.render(common)  # a state that was reported as wrong: never reached
        # A step that sets nothing shows the chart's own picture: the same file, fetched once
        name = step.chart if picture.signals_json == "{}" else f"step/{picture.key}"
        url = self.locations.charts.get((self.story.slug, name), "")
        narrow = self.locations.charts.get((self.story.slug, f"{name}/narrow"), "")
        page = f"{self.story.slug}/index.html"
        alt = markup.DIRECTIVE.sub(lambda m: self.fact_text(*(m.group(2).strip().split("|") + [""])[:2])
                                   if m.group(1) == "fact" else m.group(2), step.alt)
        return template.render(common, number=step_number + 1, total=len(block.steps), step_chart=step.chart,
                               signals=picture.signals_json, alt=self.typo(alt), picture=picture,
                               svg_url=relative(page, url) if url else "",
                               narrow_svg_url=relative(page, narrow) if narrow else "", narrow_media=NARROW_MEDIA)

    def _step_picture(self, block: StepBlock, step: Step):
        from . import steps as steps_module

        states, problems = steps_module.check_blocks([StepBlock(block.chart, (step,), block.location)],
                                                     self.story.charts)
        if problems or not states[0][1]:
            return None
        _, signals, stores = states[0][1][0]
        key = steps_module.state_key(self.story.charts[step.chart], signals, stores, self.lang)
        return self.story.step_pictures.get(key)

    def render(self, piece, prefix: str) -> Markup:
        """A section's HTML: from this process's memo, the disk cache, or rendered now."""
        key = (self.base_key, piece.path, piece.markdown)
        disk_key = hashlib.sha256("\0".join(key).encode("utf-8")).hexdigest()
        if key not in _SECTION_MEMO and self.cache is not None:  # rendered by an earlier build
            kept = self.cache.get("sections", disk_key)
            if kept is not None:
                html, facts_cited, charts_placed = json.loads(kept)
                _remember(key, (html, tuple(facts_cited), tuple(c for c in charts_placed)))
        if key not in _SECTION_MEMO:
            html = self._convert(piece, prefix)
            _remember(key, (html, tuple(self.state["facts"]), tuple(self.state["charts"])))
            if self.cache is not None:
                self.cache.put("sections", disk_key, json.dumps([html, self.state["facts"], self.state["charts"]],
                                                                ensure_ascii=False).encode("utf-8"))
        html, facts_cited, charts_placed = _SECTION_MEMO[key]
        self.cited_facts.extend(facts_cited)
        self.placed_charts.extend(self.story.charts[c] for c in charts_placed)
        return Markup(html)

    def _convert(self, piece, prefix: str) -> str:
        if self.convert is None:
            from . import markup

            # the footnotes' back link  (catalog.gettext: extracted into messages.pot from here)
            backlink = self.catalog.gettext("Back to the text")
            self.convert = markup.make_renderer(self.fact_html, self.chart_html, backlink,
                                                typography.for_language(self.lang), self.fact_text,
                                                functools.partial(_scenario_html, self.story, self.live_params),
                                                self.catalog.gettext("Your scenario: "), self.steps_html)
        self.state.update(prefix=prefix, n=0, facts=[], charts=[], piece=piece)
        try:
            converted = self.convert(piece.markdown)
        except RecursionError:
            raise TemplateProblem(error("markdown-too-deep", "lists or quotes are nested too deeply to render",
                                        SourceLocation(piece.path, piece.line_offset + 1),
                                        "flatten the nesting (a few levels are plenty)")) from None
        return re.sub(r'((?:id|href)="#?)(fn(?:ref)?):', rf"\1\2-{prefix}:", neutralize_urls(converted))


def as_of_phrase(iso: str, lang: str, catalog: Catalog) -> str:
    """'figure as of 9 February 2023', 'chiffre du 9 février 2023', 'chiffre d’avril 2023'."""
    text = i18n.format_date(iso, lang)
    if len(iso) >= 10:
        return catalog.gettext("figure as of %(day)s") % {"day": text}
    return i18n.elide(catalog.gettext("figure as of %(month)s") % {"month": text}, lang)


HEADING_ID = re.compile(r'(<h[1-6] id=")([^"]*)(")')


def _unique_heading_ids(html: Markup, seen: set[str]) -> Markup:
    """Each section is rendered alone, so two sections may both have a heading `id="methode"`: the
    later one becomes `methode_1` (as Python-Markdown numbers repeats within one text), so every
    id of the page is unique and `#methode` leads to the first."""
    def fix(match: re.Match) -> str:
        wanted = match.group(2)
        unique, n = wanted, 0
        if wanted in seen:
            wanted = re.sub(r"_\d+$", "", wanted)  # our slugs hold no "_": this is Python-Markdown's number
        while unique in seen:
            n += 1
            unique = f"{wanted}_{n}"
        seen.add(unique)
        return match.group(1) + unique + match.group(3)
    return Markup(HEADING_ID.sub(fix, str(html)))


def _render_inputs(story: Story, env: jinja2.Environment, locations: Locations, site: Site,
                   catalog: Catalog | None = None) -> str:
    """A digest of what a section's HTML depends on besides its own text: the story's facts,
    sources and charts as the page shows them, the two templates a section uses, the site's
    addresses, and this code. The same in every process, so rendered sections can be kept on disk."""
    facts = [(k, f.value, f.unit, f.as_of, f.status, f.note, f.sources, f.formula, f.inputs, f.program,
              story.corrections.get(k)) for k, f in story.facts.facts.items()]
    sources = [(k, s.name, s.publisher, s.url, s.date, s.note) for k, s in story.facts.sources.items()]
    charts = [(c.id, c.title, c.alt, c.caption, c.source, c.vega_json, c.width, c.height, c.params,
               locations.charts.get((story.slug, c.id)), [(t.name, t.columns, t.rows[:TABLE_ROWS], t.row_count)
                                                          for t in c.tables],
               [name for name, _ in c.data_files])
              for c in story.charts.values()]
    templates = [env.loader.get_source(env, name)[0] for name in ("_fact.html", "_chart.html", "_steps.html")]
    text = json.dumps([story.slug, story.language, facts, sources, charts, templates, sorted(story.step_pictures), site.config.absolute_url,
                       site.config.base_url, locations.assets.get("js/embed.js"), _code_version(),
                       catalog.key if catalog is not None else ""],
                      default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The code that turns a section into HTML, and the libraries it calls."""
    from importlib.metadata import version

    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in ("render.py", "markup.py", "i18n.py", "catalogs.py"))
    libraries = [version(name) for name in ("markdown", "babel", "jinja2")]
    return hashlib.sha256(code).hexdigest() + " ".join(libraries)


def _attr(text: str) -> str:
    """A value inside the double quotes of the HTML snippet other sites paste."""
    import html
    return html.escape(text, quote=True)


UNSAFE_HREF = re.compile(r'(\s(?:href|src)=")([^"]*)"')


def neutralize_urls(html: str) -> str:
    """Links whose scheme runs code (javascript:, vbscript:, data: except images) become '#'; the
    checks have already reported them to the author, this is the last guard."""
    def fix(match: re.Match) -> str:
        if is_unsafe_url(match.group(2)):
            return f'{match.group(1)}#"'
        return match.group(0)
    return UNSAFE_HREF.sub(fix, html)


def is_unsafe_url(url: str) -> bool:
    import html as html_module
    plain = re.sub(r"[\x00-\x20]", "", html_module.unescape(url)).lower()
    return plain.startswith(("javascript:", "vbscript:")) or (plain.startswith("data:")
                                                              and not plain.startswith("data:image/"))


def _cells(columns: tuple[str, ...], rows, lang: str, kinds: tuple = ()) -> list[list[str]]:
    """The cells of a reader table, each column written alike in the story's language: its numbers
    with the decimals the most precise of them needs (2,50 beside 15,00, not 2,5 beside 15), all
    grouped (9 000 beside 12 000) unless the column holds years (1990, never 1 990); its dates as
    the chart's axis writes them (`kinds`: juin 2023, not 2023-06-01T00:00:00); a bin as a range."""
    width = max((len(row) for row in rows), default=0)
    digits: list[int | None] = []
    for index in range(width):
        numbers = [v for row in rows if index < len(row) for v in _parts(row[index]) if _is_number(v)]
        years = bool(numbers) and all(float(v).is_integer() and 1000 <= abs(v) <= 2999 for v in numbers)
        digits.append(None if not numbers or years else max(i18n.fraction_digits(v, "") for v in numbers))
    kinds = tuple(kinds) + (None,) * (width - len(kinds))
    return [[_cell(value, lang, digits[index], kinds[index]) for index, value in enumerate(row)] for row in rows]


def _parts(value: Any) -> tuple:
    """A cell's values: a bin's two ends, or the value itself."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value  # NaN is not


def _cell(value: Any, lang: str, digits: int | None, kind: str | None = None) -> str:
    if isinstance(value, (list, tuple)):
        return "\u2013".join(_cell(part, lang, digits, kind) for part in value)  # a bin: 0–100
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if kind and (isinstance(value, str) or _is_number(value)):
        return i18n.format_moment(value, kind, lang)
    if _is_number(value) and digits is not None:
        return i18n.format_number(value, lang, "", digits)
    return str(value)


def _scenario_html(story: Story, live_params: set[str], key: str, style: str) -> str:
    """A value the reader sets with a chart's sliders ({scenario:key}): no source (it is the
    reader's), updated in place by broadsheet.js; with JavaScript off, the sliders' starting values."""
    fact = story.facts.facts.get(key)
    if fact is None:  # the checks reported it
        return html_module.escape(f"{{scenario:{key}}}")
    live = _live_data(fact, story, style, live_params)
    text = i18n.format_value(fact.value, fact.unit, story.language, style)
    return f'<span class="scenario-value" data-live="{html_module.escape(live)}">{html_module.escape(text)}</span>'


def _live_data(fact: Fact, story: Story, style: str, live_params: set[str]) -> str:
    """JSON for a fact the page recomputes when a chart's slider moves; '' when it never changes."""
    if fact.key in live_params:
        program, inputs = ["fact", fact.key], {fact.key: fact.value}
    elif fact.program is not None and live_params & set(_all_inputs(fact, story)):
        program, inputs = _inline_program(fact, story), {}
        for name in _all_inputs(fact, story):
            if story.facts.facts[name].program is None:
                inputs[name] = story.facts.facts[name].value
    else:
        return ""
    lang = story.language
    return json.dumps({"program": program, "inputs": inputs, "lang": lang, "style": style,
                       "currency": i18n.is_currency_unit(fact.unit),
                       "template": i18n.value_template(fact.unit, lang, "number" if style == "number" else ""),
                       "compact": i18n.value_template(fact.unit, lang, "compact")},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _all_inputs(fact: Fact, story: Story) -> list[str]:
    """Every fact `fact` is derived from, directly or not, each once (a fact used by two inputs is
    not walked twice: linear in the facts, however they share inputs)."""
    names: dict[str, None] = {}
    frontier = list(fact.inputs)
    while frontier:
        name = frontier.pop()
        if name in names:
            continue
        names[name] = None
        inner = story.facts.facts.get(name)
        if inner is not None and inner.program is not None:
            frontier.extend(inner.inputs)
    return list(names)


def _inline_program(fact: Fact, story: Story) -> Any:
    """A formula tree whose derived inputs are replaced by their own formulas (base facts stay names)."""
    def walk(node):
        if isinstance(node, list) and node and node[0] == "fact":
            inner = story.facts.facts[node[1]]
            return walk(inner.program) if inner.program is not None else node
        if isinstance(node, list):
            return [walk(part) for part in node]
        return node
    return walk(fact.program)

