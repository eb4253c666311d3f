"""Every speed trick that overlaps the build's phases, in one place, behind one context manager.

The pipeline runs its phases one after the other (load -> check -> render -> plan -> links ->
write). What makes a build faster without changing a byte of it happens here:

- the chart workers start before the first story is read, when every chart must be compiled;
- the page's chart runtime is bundled in a process of its own while the charts compile;
- templates, the Markdown parser and Babel's calendars are made ready while the workers work;
- each story's link-preview card is drawn by the worker that draws its lead chart;
- each story's sections and figures are rendered as soon as its charts are back, while the next
  stories' charts compile (the render phase then finds them in render's memo).

`BuildOptions(overlap=False)` switches all of them off: the same site comes out
(tests/unit/test_schedule.py builds a small site both ways and compares every byte). A trick that
fails is logged once and the plain path runs; an author's mistake it meets is left for its phase
to report, with its line.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass

from .model import Site, SiteConfig

LOG = logging.getLogger("broadsheet")


@dataclass
class Schedule:
    """One build's schedule: the chart compiler every phase uses, and the overlaps when `on`."""

    options: object  # pipeline.BuildOptions
    on: bool = True

    def __post_init__(self):
        from .charts import ChartCompiler, ChartLimits

        self._runtime = self._start_runtime() if self.on else None  # first: before any thread exists
        self.compiler = ChartCompiler(self.options.jobs, self.options.cache,
                                      getattr(self.options, "chart_limits", None) or ChartLimits())
        self._failed: set[str] = set()
        self._env = None
        self._assets: dict[str, str] = {}

    # -- the context manager -------------------------------------------------------------------

    def __enter__(self) -> "Schedule":
        if self.on and self._compiles_everything():
            self.compiler.start_early()
            threading.Thread(target=self._prepare_rendering, name="prepare-rendering", daemon=True).start()
        return self

    def __exit__(self, kind, *exc_info) -> None:
        interrupted = kind is not None and issubclass(kind, KeyboardInterrupt)  # Ctrl-C, SIGTERM: end workers now
        self.compiler.close(kill=interrupted)
        if self._runtime is not None:
            if interrupted:
                from .charts import end_pool

                end_pool(self._runtime[0])
            else:
                self._runtime[0].shutdown(cancel_futures=True)

    # -- what the phases ask -------------------------------------------------------------------

    def card_site_title(self, config: SiteConfig) -> str | None:
        """The site name to draw each story's card with its lead chart, or None: drawn at plan."""
        return config.title if self.on else None

    def prefetched_runtime(self):
        """The future of the chart runtime being bundled elsewhere, or None."""
        return self._runtime[1] if self._runtime is not None else None

    def story_loaded(self, story, config: SiteConfig, compiled: int, last: bool, failing: bool) -> None:
        """Render a story's sections and chart figures now, while the workers compile the next
        stories' charts. Not for the last story (nothing left to overlap), nor once the build is
        failing, nor for a story whose charts all came from the cache."""
        if not self.on or last or failing or not compiled:
            return
        from . import render

        try:
            if self._env is None:
                from .pipeline import environment, static_assets

                self._env = environment(self.options)
                self._assets = static_assets(self.options)[1]
            from .pipeline import catalogs_for, chart_images

            charts = {key: path for key, (path, _) in chart_images(story).items()}
            site = Site(config, (story,), dt.date(1970, 1, 1))
            locations = render.Locations(self._assets, charts, {})
            cache = self.options.cache
            catalog = catalogs_for(self.options)(story.language)
            render.story_context(story, self._env, locations, site, cache, catalog=catalog)
            for chart in story.charts.values():
                render.embed_figure(story, chart, self._env, locations, site, cache, catalog=catalog)
        except render.AUTHOR_ERRORS:
            return  # the render phase reports it, with its line
        except Exception:  # noqa: BLE001 - a bug in a speed-up: logged, and the plain path runs
            self._log_once("story pre-render")

    # -- the overlaps themselves ---------------------------------------------------------------

    def _compiles_everything(self) -> bool:
        """True when every chart will be compiled: charts exist and the cache holds no compiled one."""
        if self.options.cache.holds("charts"):
            return False
        return any(self.options.content.glob("*/charts/*"))

    def _start_runtime(self):
        """Bundle the chart runtime in another process when no cache holds it: (executor, future)."""
        from .charts import cached_runtime

        if self.options.jobs == 1 or (os.cpu_count() or 1) < 2 or cached_runtime(self.options.cache) is not None:
            return None
        if not any(self.options.content.glob("*/charts/*")):
            return None
        from .charts import runtime_elsewhere

        return runtime_elsewhere()

    def _prepare_rendering(self) -> None:
        """While the workers draw every chart this process would only wait: it compiles the
        templates (kept as bytecode for the render) and readies the Markdown parser and Babel's
        calendars, work that otherwise starts after the last chart."""
        from . import i18n, markup, render

        try:
            from . import links  # noqa: F401 - the check after the render, imported now
            from .pipeline import environment

            env = environment(self.options)
            for name in env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml"))):
                env.get_template(name)
            markup.make_renderer(lambda *_: "", lambda *_: "")("*Prêt* : [oui](#a), 1 000.\n\n| a |\n|---|\n| b |\n")
            for language in ("fr", "en"):  # Babel reads a language's calendar data on first use
                i18n.format_date("2024-01-31", language)
        except render.AUTHOR_ERRORS:
            return  # a broken template is reported by the render, with its line
        except Exception:  # noqa: BLE001 - a bug in a speed-up: logged, and the plain path runs
            self._log_once("preparing the render")

    def _log_once(self, what: str) -> None:
        if what not in self._failed:
            self._failed.add(what)
            LOG.warning("broadsheet: %s failed; the build goes on without it", what, exc_info=True)


def overlapping(options) -> Schedule:
    """The build's schedule: `with schedule.overlapping(options) as run: ...`."""
    return Schedule(options, getattr(options, "overlap", True))
