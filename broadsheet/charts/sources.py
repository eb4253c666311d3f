"""Running chart sources: `charts/<id>.py` and `charts/<id>.vl.json` -> ChartDefinition (Altair lives here).

A Python chart defines `chart(data, facts)` returning an Altair chart; a Vega-Lite file is the spec
itself. Each is turned into a dict once (`to_dict()`, checked against the Vega-Lite schema: the
`schema` module first, Altair's own check for the message), styled by the house theme and fitted to
a layout. Every failure becomes a Diagnostic that points into the chart file.
"""
from __future__ import annotations

import copy
import hashlib
import json
import re
import traceback
from dataclasses import dataclass, field, replace
import functools
from functools import lru_cache
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Mapping

from ..diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from ..model import Dataset, FactSet
from .. import shapes
from . import geometry
from .large_tables import INLINE_ROWS
from . import selections
from . import walk
from .layouts import DEFAULT_LAYOUTS, ChartLayout, fit_to_layout


META_NAMES = ("TITLE", "ALT", "CAPTION", "SOURCE", "SOURCES")
MAX_SPEC_DEPTH = 100  # arrays and objects nested in a .vl.json; a real spec needs a dozen
_JSON_TOKENS = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]')  # a string (brackets in it are text), or a bracket


@dataclass(frozen=True)
class ChartDefinition:
    """What a chart file yields before compilation: its Vega-Lite and its words."""

    id: str
    path: str
    vegalite: Mapping[str, Any]
    title: str
    alt: str
    caption: str
    source: str
    facts_used: tuple[str, ...]
    source_keys: tuple[str, ...] = ()
    datasets_used: tuple[str, ...] = ()  # CSV stems the chart read
    large: Mapping[str, Dataset] = field(default_factory=dict)  # data names in `vegalite` -> the large
    #                                 tables they stand for (story CSVs, or rows the chart made)
    adapts: bool = False  # the chart function takes `layout`: each layout runs it again
    fitted: bool = False  # fit_to_layout made it the layout's width
    map_height: bool = False  # geometry.fit_height gave this map its height
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # "title"... -> {language: text};
    #                                 the language "" is a plain string's: the story's original language


TEXT_NAMES = (("TITLE", "title"), ("ALT", "alt"), ("CAPTION", "caption"), ("SOURCE", "source"))


def _first_text(value: Any) -> Any:
    """A text given per language ({"fr": …, "en": …}) stands, for the checks that need one text
    before the language is known, as its first entry."""
    if isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return next(iter(value.values()))
    return value


def _texts_by_language(meta: Mapping[str, Any], translations: Any) -> dict:
    """{"title": {language: text}, …} from TITLE… (a string, or a dict keyed by language) and a
    .vl.json's usermeta.broadsheet.translations ({"en": {"title": …, "alt": …}})."""
    texts: dict[str, dict[str, str]] = {}
    for upper, lower in TEXT_NAMES:
        value = meta.get(upper + "_BY_LANGUAGE", meta.get(upper))
        texts[lower] = dict(value) if isinstance(value, dict) else ({"": value} if isinstance(value, str) else {})
    for language, fields in (translations or {}).items() if isinstance(translations, dict) else ():
        for lower in ("title", "alt", "caption", "source"):
            if isinstance(fields, dict) and isinstance(fields.get(lower), str):
                texts[lower][language] = fields[lower]
    return texts


def _untranslated(definition: ChartDefinition, upper: str, lower: str, language: str, original: str,
                  text: str) -> Diagnostic:
    """Said where the text is given: the `ALT = …` line, or a .vl.json's `translations` (else its
    `description` / `title`)."""
    json_names = ["translations", {"alt": "description"}.get(lower, lower)]
    where = SourceLocation(definition.path, *line_of_token(text, json_names, 1)) if definition.path.endswith(".json") \
        else SourceLocation(definition.path, _assignment_line(text, upper))
    message = f"chart '{definition.id}' has no {upper} in '{language}', a language of the story"
    hint = (f'write "usermeta": {{"broadsheet": {{"translations": {{"{language}": {{"{lower}": "…"}}}}}}}}'
            if definition.path.endswith(".json") else
            f'give {upper} one text per language: {upper} = {{"{original}": "…", "{language}": "…"}}')
    if lower == "alt":
        return error("translation-alt", message, where, hint)
    return error("translation-chart-text", message, where, hint)


def in_language(definition: ChartDefinition, language: str, original: str,
                source: str = "") -> tuple[ChartDefinition, list[Diagnostic]]:
    """The chart with its words in `language` (a plain string is `original`'s words). A text the
    original has and a translation lacks is an error: ALT `translation-alt` (a reader who cannot
    see the chart would get nothing in their language), the others `translation-chart-text`."""
    problems, chosen = [], {}
    for upper, lower in TEXT_NAMES:
        by_language = definition.texts.get(lower) or {}
        text = by_language.get(language)
        if text is None and (language == original or lower == "source"):  # a source's name is a name
            text = by_language.get("") if language == original or "" in by_language else by_language.get(original)
        if text is None and (by_language.get(original) or by_language.get("") or "").strip():
            problems.append(_untranslated(definition, upper, lower, language, original, source))
        chosen[lower] = (text or "").strip()
    if not definition.texts:
        return definition, []
    return replace(definition, **chosen), problems


def for_layout(definition: ChartDefinition, layout: ChartLayout) -> ChartDefinition:
    """The same chart for another layout, when its code does not look at the layout: only the
    width fit_to_layout gave it changes (running the code again would give the same spec)."""
    if definition.adapts:
        raise ValueError("a chart that adapts to its layout is run again for each layout")
    if not definition.fitted:
        return definition
    if definition.map_height:  # a map whose height follows its width: fitted again
        spec = {key: value for key, value in definition.vegalite.items() if key != "height"}
        return replace(definition, vegalite=geometry.fit_height({**spec, "width": layout.width}, layout.width))
    return replace(definition, vegalite={**definition.vegalite, "width": layout.width})


def warm_up() -> None:
    """Import Altair ahead of the first chart (a worker process does it while it waits)."""
    import altair  # noqa: F401


def vegalite_version() -> str:
    """The Vega-Lite release Altair writes its specs for ("6.4.1"): the one that compiles them."""
    return vegalite_release()


def _altair_schema_folder() -> Path | None:
    """Altair's folder of the Vega-Lite schema, found without importing Altair."""
    import importlib.util

    found = importlib.util.find_spec("altair")
    if not found or not found.submodule_search_locations:
        return None
    return Path(next(iter(found.submodule_search_locations))) / "vegalite" / "v6" / "schema"


@functools.cache
def vegalite_schema() -> Mapping[str, Any]:
    """The Vega-Lite schema Altair carries (the file its TopLevelSpec loads), read without importing
    Altair: a build that compiles one Vega-Lite chart need not pay Altair's import."""
    folder = _altair_schema_folder()
    if folder is None or not (folder / "vega-lite-schema.json").is_file():
        import altair as alt

        return alt.TopLevelSpec._rootschema
    return json.loads((folder / "vega-lite-schema.json").read_text(encoding="utf-8"))


@functools.cache
def vegalite_release() -> str:
    """The Vega-Lite release Altair writes its specs for ("6.4.1"), read as vegalite_schema is."""
    folder = _altair_schema_folder()
    try:
        found = re.search(r'^SCHEMA_VERSION = "v([0-9.]+)"', (folder / "__init__.py").read_text(encoding="utf-8"), re.M)
    except (OSError, TypeError):
        found = None
    if found is None:
        import altair

        return altair.VEGALITE_VERSION
    return found.group(1)



def data_name(stem: str) -> str:
    """The name a large story CSV goes by inside a chart's spec."""
    return "csv_" + re.sub(r"[^A-Za-z0-9_]", "_", stem)


@lru_cache(maxsize=1)
def _table_ref_class():
    import altair as alt

    class TableRef(alt.NamedData):
        """`data['pay']`: a story CSV that the spec names instead of Altair holding its rows.
        Altair copies a chart's data with every chart derived from it (each `encode`, layer,
        concat) and checks inline rows one by one: a name costs nothing. A small table's rows
        (`inline`) join the spec's top-level `datasets` under the name Altair gives inline rows
        ("data-" and a hash of them), where `alt.InlineData` would put them: the same spec. A
        large table stays out of the spec: VegaFusion aggregates it, and the page never carries
        it. `.values` gives the rows, for computing in Python."""

        def __init__(self, dataset: Dataset, name: str, inline: bool):
            object.__setattr__(self, "_dataset", dataset)  # first: Altair may call to_dict from __init__
            object.__setattr__(self, "_inline", inline)
            super().__init__(name=name)

        def __deepcopy__(self, memo=None):
            return type(self)(self._dataset, self._kwds["name"], self._inline)

        def to_dict(self, validate=True, *, ignore=None, context=None):
            if self._inline and context is not None:  # where Altair puts inline rows
                context.setdefault("datasets", {}).setdefault(self._kwds["name"], self.values)
            return super().to_dict(validate=validate, ignore=ignore, context=context)

        @property
        def values(self) -> list[dict]:
            return [dict(row) for row in self._dataset.rows]

        # A sequence of rows (dicts), so that `pd.DataFrame(data['pay'])` and `pl.DataFrame(data['pay'])`
        # make a frame of it, as Altair's documentation does with its own tables.
        def __iter__(self):
            return (dict(row) for row in self._dataset.rows)

        def __len__(self) -> int:
            return len(self._dataset.rows)

        def __getitem__(self, item):
            if isinstance(item, (int, slice)):
                rows = self._dataset.rows[item]
                return dict(rows) if isinstance(item, int) else [dict(row) for row in rows]
            return super().__getitem__(item)

    Sequence.register(TableRef)

    return TableRef


def _rows_name(dataset: Dataset) -> str:
    """Altair's name for these rows inline (`altair.vegalite.v6.api._dataset_name`)."""
    values_json = json.dumps([dict(row) for row in dataset.rows], sort_keys=True, default=str)
    return "data-" + hashlib.sha256(values_json.encode()).hexdigest()[:32]


def chart_data(dataset: Dataset):
    """What `data[name]` gives chart code: a reference to the rows, named in the spec; a file
    that is not one table (GeoJSON, TopoJSON, rows nested in a JSON object) by its address, as
    `alt.Data(url="data/…")` gives it (a `format` picks the rows or the features)."""
    if dataset.document is not None:
        import altair as alt

        url = "data/" + dataset.path.replace("\\", "/").rsplit("/", 1)[-1]
        document = dataset.document if isinstance(dataset.document, dict) else {}
        if document.get("type") == "Topology" and isinstance(document.get("objects"), dict) and document["objects"]:
            return alt.UrlData(url=url, format={"type": "topojson", "feature": next(iter(document["objects"]))})
        if document.get("type") == "FeatureCollection":
            return alt.UrlData(url=url, format={"type": "json", "property": "features"})
        return alt.UrlData(url=url)
    if len(dataset.rows) > INLINE_ROWS:
        return _table_ref_class()(dataset, data_name(dataset.name), inline=False)
    return _table_ref_class()(dataset, _rows_name(dataset), inline=True)


def _accepts_layout(function: Any) -> bool:
    import inspect

    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 3 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


class _FactsSeen(dict):
    """The facts mapping given to chart code; remembers which keys the chart read."""

    def __init__(self, facts: FactSet):
        super().__init__(facts.facts)
        self.seen: list[str] = []

    def __getitem__(self, key):
        self.seen.append(key)
        return super().__getitem__(key)

    def __missing__(self, key):
        raise KeyError(f"unknown fact '{key}'; {did_you_mean(str(key), self.keys())}facts are the keys of facts.yaml")


def _frame_line(exc: BaseException, filename: str) -> int:
    """The line of the chart file where an exception passed last (deepest frame in that file)."""
    line = 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno or line
    return line


def _assignment_line(source: str, name: str) -> int:
    match = re.search(rf"^{name}\s*=", source, flags=re.M)
    return source[: match.start()].count("\n") + 1 if match else 1


def line_of_token(source: str, tokens: list[str], default: int) -> tuple[int, int]:
    for token in tokens:
        for number, text in enumerate(source.split("\n"), start=1):
            for quoted in (f'"{token}"', f"'{token}'", f"{token}="):
                column = text.find(quoted)
                if column >= 0:
                    return number, column + 1
    return default, 0


def run_python_chart(chart_id: str, path: str, abs_path: str, source: str, datasets: Mapping[str, Dataset],
                     facts: FactSet, theme: Mapping[str, Any], layout: ChartLayout = DEFAULT_LAYOUTS[0],
                     ) -> tuple[ChartDefinition | None, list[Diagnostic]]:
    """Execute a chart file and call its `chart(data, facts)` (or `chart(data, facts, layout)`)
    for one layout; never raises for author mistakes (what the code itself may do to its process,
    exit or crash, is contained by the caller: workers.ChartSandbox)."""
    try:
        code = compile(source, abs_path, "exec")
    except SyntaxError as exc:
        return None, [error("chart-syntax", f"chart '{chart_id}' is not valid Python: {exc.msg}",
                            SourceLocation(path, exc.lineno or 1, exc.offset or 0),
                            "fix the Python syntax on this line (a missing bracket or colon?)")]
    ran = _run_code(chart_id, path, abs_path, code, datasets, facts, layout)
    if isinstance(ran, Diagnostic):
        return None, [ran]
    namespace, function, result, seen, data_view = ran
    spec, problems = _to_spec(chart_id, path, abs_path, source, function, result)
    if spec is None:
        return None, problems
    used: list[str] = []
    spec = _inline_story_data(spec, datasets, path, source, problems, used, others=False)  # alt.Data(url="data/…")
    meta, found = _chart_meta(chart_id, path, source, namespace)
    problems += found
    if problems:
        return None, problems
    meta = _spec_words(spec, meta)
    return _finish(chart_id, path, spec, meta, theme, tuple(dict.fromkeys(seen.seen)), source,
                   tuple(dict.fromkeys(data_view.seen + used)), datasets, layout, _accepts_layout(function))


# Modules whose package is named otherwise on PyPI; pandas comes with Broadsheet's `pandas` extra.
_PACKAGES = {"pandas": "'broadsheet[pandas]' (or pandas)", "sklearn": "scikit-learn", "PIL": "pillow",
             "yaml": "pyyaml", "cv2": "opencv-python", "bs4": "beautifulsoup4", "dateutil": "python-dateutil",
             "skimage": "scikit-image"}


def _run_code(chart_id: str, path: str, abs_path: str, code, datasets: Mapping[str, Dataset], facts: FactSet,
              layout: ChartLayout):
    """The chart file run and its function called: (namespace, function, result, facts seen, data
    seen), or the Diagnostic of what went wrong, at its line."""
    namespace: dict[str, Any] = {"__name__": f"broadsheet_chart_{chart_id.replace('-', '_')}", "__file__": abs_path}
    seen = _FactsSeen(facts)
    data_view = _DataView(datasets)
    try:
        exec(code, namespace)  # noqa: S102 - chart files are the newsroom's own code, like a build script
        function = namespace.get("chart")
        if not callable(function):
            return error("chart-no-function", f"chart file '{chart_id}' defines no chart(data, facts) function",
                         SourceLocation(path, 1), "add `def chart(data, facts):` returning an Altair chart")
        result = function(data_view, seen, layout) if _accepts_layout(function) else function(data_view, seen)
    except ModuleNotFoundError as exc:  # not the chart's fault: the build's Python lacks a package
        module = (exc.name or "").split(".")[0]
        return error("chart-module-missing", f"chart '{chart_id}' imports '{exc.name}', which is not installed",
                     SourceLocation(path, _frame_line(exc, abs_path) or 1),
                     f"install it where Broadsheet runs: pip install {_PACKAGES.get(module, module)}")
    except BaseException as exc:  # noqa: BLE001 - the chart's own code failed or tried to stop: said at its line
        if isinstance(exc, KeyboardInterrupt) and hasattr(exc, "signum"):
            raise  # a real Ctrl-C of the command (cli.Interrupted), not the chart's doing
        return code_failed(exc, chart_id, path, abs_path)
    return namespace, function, result, seen, data_view


class ExitCalled(BaseException):
    """os._exit called by chart code, raised instead where the code runs contained (workers'
    sandbox), so that the call is said with its line."""


def code_failed(exc: BaseException, chart_id: str, path: str, abs_path: str) -> Diagnostic:
    """What an exception out of a chart's code tells its author: `chart-exception` for an ordinary
    one, `chart-memory` for MemoryError, `chart-crashed` for one that tries to end the process
    (SystemExit, KeyboardInterrupt, GeneratorExit, a bare BaseException) or whose message itself fails."""
    where = SourceLocation(path, _frame_line(exc, abs_path) or 1)
    name = type(exc).__name__
    if isinstance(exc, MemoryError):
        return error("chart-memory", f"chart '{chart_id}' ran out of memory (MemoryError)", where,
                     "make the chart hold fewer rows (aggregate them first), or raise the limit with "
                     "--chart-memory MB")
    try:
        text = exc.args[0] if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str) else str(exc)
    except BaseException as inner:  # noqa: BLE001 - a message that cannot be made is itself the problem
        return error("chart-crashed", f"chart '{chart_id}' raised {name}, whose message cannot be shown "
                     f"(its __str__ raised {type(inner).__name__})", where,
                     "raise an ordinary exception with a plain message, e.g. raise ValueError(\"…\")")
    if not isinstance(exc, Exception):
        did = f"called {text}" if isinstance(exc, ExitCalled) else f"raised {name}" + (f": {text}" if text else "")
        return error("chart-crashed", f"chart '{chart_id}' tried to stop the build: it {did}", where,
                     "a chart must return a chart: remove the exit, or raise an ordinary exception "
                     "(ValueError) with a message")
    return error("chart-exception", f"chart '{chart_id}' raised {name}: {text}", where, _exception_hint(exc))


def _exception_hint(exc: Exception) -> str:
    """What to change: a file read by its path (pd.read_csv("data/x.csv"), copied from a notebook)
    is read through `data` here, the story's tables as the build read them."""
    if isinstance(exc, OSError) and isinstance(getattr(exc, "filename", None), str):
        stem = re.sub(r"\.[A-Za-z]+$", "", exc.filename.replace("\\", "/").rsplit("/", 1)[-1])
        return (f"a chart reads no file by its path: take the story's table from its argument, "
                f"pd.DataFrame(data[\"{stem}\"]) or alt.Chart(data[\"{stem}\"]), with the file in the story's data/ "
                "folder (def chart(data, facts): …)")
    return "fix the chart code at this line"


def _to_spec(chart_id: str, path: str, abs_path: str, source: str, function, result):
    """The Vega-Lite dict of what the chart function returned: (spec, []) or (None, problems)."""
    import altair as alt

    if not isinstance(result, alt.TopLevelMixin):
        line = getattr(getattr(function, "__code__", None), "co_firstlineno", 1)
        return None, [error("chart-not-chart", f"chart(data, facts) in '{chart_id}' returned "
                            f"{type(result).__name__}, not an Altair chart", SourceLocation(path, line),
                            "return the chart object, e.g. `return alt.Chart(data['pay']).mark_bar()...`")]
    try:
        with alt.theme.enable("none"), alt.data_transformers.enable("default", max_rows=None):
            from . import schema

            spec = result.to_dict(validate=False)  # no row limit: large tables are handled below
            if not schema.is_valid(spec, type(result)._rootschema):
                spec = result.to_dict(validate=True)  # Altair's own check, for its message
    except alt.utils.schemapi.SchemaValidationError as exc:
        message = str(exc).strip().split("\n")[0]
        tokens = re.findall(r"['`]([^'`]+)['`]", str(exc))
        line, column = line_of_token(source, tokens, _frame_line(exc, abs_path) or 1)
        return None, [error("chart-invalid", f"chart '{chart_id}' is not valid Vega-Lite: {message}",
                            SourceLocation(path, line, column), "see the valid values listed in the message")]
    except MemoryError:
        raise  # said as chart-memory by code_failed, where the chart runs
    except Exception as exc:  # Altair raises plain errors too (untyped field, max rows...)
        untyped = re.match(r"(\S+) encoding field is specified without a type", str(exc))
        line, column = line_of_token(source, [untyped.group(1)] if untyped else [], _frame_line(exc, abs_path) or 1)
        message = f"field '{untyped.group(1)}' has no type" if untyped else f"cannot be converted: {exc}"
        return None, [error("chart-invalid", f"chart '{chart_id}': {message}", SourceLocation(path, line, column),
                            "give every field its type: alt.X('rate', type='quantitative') or 'rate:Q' "
                            "(Q number, N category, O ordered category, T date)")]
    return spec, []


def _lines(title: Any) -> Any:
    """A title given as a list of lines (Vega-Lite draws one under the other) is one title: most
    such lists wrap one sentence (["Global deaths from", "natural disasters"]), so a space joins them."""
    if isinstance(title, (list, tuple)) and title and all(isinstance(line, str) for line in title):
        return " ".join(line.strip() for line in title)
    return title


def _spec_words(spec: Mapping[str, Any], meta: dict) -> dict:
    """A chart written as Altair's documentation writes it carries its title in the spec
    (`.properties(title=alt.Title("…", subtitle="…"))`): without TITLE, that title is the page's,
    and its subtitle the caption, rather than "no title" for a chart that has one."""
    title = spec.get("title")
    text = _lines(title.get("text") if isinstance(title, dict) else title)
    words = dict(meta)
    if not (isinstance(meta.get("TITLE"), str) and meta["TITLE"].strip()) and isinstance(text, str) and text.strip():
        words["TITLE"] = text.strip()
    words["CAPTION"] = _subtitle_caption(title, meta.get("CAPTION"))
    return words


def _subtitle_caption(title: Any, caption: Any) -> Any:
    """A Vega-Lite `subtitle` is what the page calls a caption (shown under the title): it is kept
    there, before usermeta.caption when the chart has both, rather than dropped with the title."""
    subtitle = _lines(title.get("subtitle")) if isinstance(title, dict) else None
    if not isinstance(subtitle, str) or not subtitle.strip():
        return caption
    return f"{subtitle.strip()} {caption.strip()}" if isinstance(caption, str) and caption.strip() else subtitle.strip()


def _sources_problems(sources: Any, chart_id: str, path: str, source: str) -> list[Diagnostic]:
    """SOURCES must list source keys (text); anything else is named, with the variable's line."""
    if sources is None or isinstance(sources, (list, tuple)) and all(isinstance(s, str) for s in sources):
        return []
    if isinstance(sources, str):
        what = f"the text {sources[:40]!r}, not a list"
    elif isinstance(sources, (list, tuple)):
        wrong = next(s for s in sources if not isinstance(s, str))
        what = f"{type(wrong).__name__} {str(wrong)[:40]!r} among its items"
    else:
        what = f"a {type(sources).__name__}, not a list"
    return [error("chart-meta-type", f"SOURCES in chart '{chart_id}' must be a list of source keys, but it holds "
                  f"{what}", SourceLocation(path, _assignment_line(source, "SOURCES")),
                  'write SOURCES = ["semianalysis", "nbc"]: keys of `sources:` in facts.yaml, each in quotes')]


def _chart_meta(chart_id: str, path: str, source: str, namespace: Mapping[str, Any]):
    """TITLE, ALT, CAPTION, SOURCE and SOURCES of a chart file, checked: (meta, problems)."""
    meta = {name: _lines(namespace.get(name)) if name == "TITLE" else namespace.get(name) for name in META_NAMES}
    for name in ("TITLE", "ALT", "CAPTION", "SOURCE"):
        if isinstance(meta[name], dict) and isinstance(_first_text(meta[name]), str):
            meta[name + "_BY_LANGUAGE"], meta[name] = meta[name], _first_text(meta[name])
    problems = [error("chart-meta-type", f"{name} in chart '{chart_id}' must be a string, or one string per "
                      "language", SourceLocation(path, _assignment_line(source, name)),
                      f'write {name} = "…", or {name} = {{"fr": "…", "en": "…"}}')
                for name, value in meta.items()
                if name in META_NAMES and name != "SOURCES" and value is not None and not isinstance(value, str)]
    return meta, problems + _sources_problems(meta.get("SOURCES"), chart_id, path, source)


class _DataView(dict):
    """`data['pay']` for chart code: remembers what the chart read, and lists the CSVs when a
    name is wrong. Reading them all (`data.values()`, a loop) counts as reading every one.
    A table is prepared for Altair only when the chart asks for it."""

    def __init__(self, datasets):
        super().__init__()
        self.datasets = datasets
        self.names = sorted(datasets)
        self.seen: list[str] = []

    def _fill(self, keys) -> None:
        for key in keys:
            if key in self.datasets and not dict.__contains__(self, key):
                dict.__setitem__(self, key, chart_data(self.datasets[key]))

    def __getitem__(self, key):
        self.seen.append(key)
        self._fill([key])
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.seen.append(key)
        self._fill([key])
        return super().get(key, default)

    def __contains__(self, key):
        return key in self.datasets

    def __len__(self):
        return len(self.names)

    def keys(self):
        self._fill(self.names)
        return super().keys()

    def __iter__(self):
        self.seen.extend(self.names)
        self._fill(self.names)
        return super().__iter__()

    def values(self):
        self.seen.extend(self.names)
        self._fill(self.names)
        return super().values()

    def items(self):
        self.seen.extend(self.names)
        self._fill(self.names)
        return super().items()

    def __missing__(self, key):
        files = sorted(name[len("data/"):] for name in _file_names(self.datasets))
        raise KeyError(f"no data file '{key}'; {did_you_mean(key, self.names)}"
                       f"the story has {', '.join(files) or 'no data file'}")


def _invalid(chart_id: str, path: str, text: str, exc: Any, spec: Any = None) -> Diagnostic:
    """`chart-invalid` at the refused value's line: the property, the value, where to read more; for
    an object refused for one key it does not take (an older Vega-Lite's, or misspelt), that key."""
    where = [str(part) for part in getattr(exc, "absolute_path", [])]
    keys = [part for part in where if not part.isdigit()]
    instance = json.dumps(getattr(exc, "instance", None), ensure_ascii=False)[:80]
    value = getattr(exc, "instance", None)
    unknown = _unknown_key(spec, list(getattr(exc, "absolute_path", [])), value) if spec is not None else None
    if unknown is not None and not _older_syntax(keys[-1] if keys else "", value):
        line, column = line_of_token(text, [unknown], 1)
        return error("chart-invalid", f"chart '{chart_id}' is not valid Vega-Lite: '{'.'.join(where) or 'the chart'}' "
                     f"has \"{unknown}\", which Vega-Lite {vegalite_version().split('.')[0]} does not take",
                     SourceLocation(path, line, column), _RENAMED.get(unknown) or
                     f"remove \"{unknown}\" (Vega-Lite leaves it unused), or check its spelling and place in the "
                     "Vega-Lite documentation (vega.github.io/vega-lite/docs)")
    tokens = ([value] if isinstance(value, str) else []) + keys[-1:]  # the refused value is the surest place
    line, column = line_of_token(text, tokens or re.findall(r"['`]([^'`]+)['`]", str(exc)), 1)
    message = f"'{'.'.join(where)}' cannot be {instance}" if where else str(exc).strip().split("\n")[0]
    return error("chart-invalid", f"chart '{chart_id}' is not valid Vega-Lite: {message}",
                 SourceLocation(path, line, column),
                 _older_syntax(keys[-1] if keys else "", value) or
                 f"see the values '{keys[-1] if keys else 'this property'}' accepts in the Vega-Lite "
                 "documentation (vega.github.io/vega-lite/docs)")


_RENAMED = {"band": "\"band\" on a channel is Vega-Lite 4's: write \"bandPosition\" (Vega-Lite 5 on), or remove it"}


def _unknown_key(spec: Any, where: list, value: Any) -> str | None:
    """The one key of the refused object without which the whole spec is valid, if there is one."""
    from . import schema

    if not isinstance(value, dict) or len(value) > 40:
        return None
    for key in value:
        if schema.is_valid(_without(spec, where, key), vegalite_schema()):
            return key
    return None


def _without(node: Any, where: list, key: str) -> Any:
    """`node` with the key removed from the object at `where`, copying only the path to it."""
    if not where:
        return {k: v for k, v in node.items() if k != key}
    copy = list(node) if isinstance(node, list) else dict(node)
    copy[where[0]] = _without(node[where[0]], where[1:], key)
    return copy


_SECOND_CHANNELS = ("x2", "y2", "latitude2", "longitude2", "theta2", "radius2", "xError", "xError2", "yError", "yError2")


def _older_syntax(key: str, value: Any) -> str | None:
    """What to write instead, when the refused value is how an older Vega-Lite said it (specs
    copied from the web often are): the current way, in a sentence."""
    if isinstance(value, dict) and "rangeStep" in value:
        return ("`rangeStep` is Vega-Lite 3's: since Vega-Lite 4 the step is the view's, e.g. "
                "\"width\": {\"step\": 20} beside \"mark\" (\"height\" for a y axis); remove it from the scale")
    if key in _SECOND_CHANNELS and isinstance(value, dict) and "type" in value:
        return (f"`{key}` takes its type from its main channel since Vega-Lite 4: remove \"type\" from `{key}`")
    if key == "stack" and value == "none":
        return "\"none\" is Vega-Lite 2's word: write \"stack\": null for layers drawn unstacked"
    return None


def _refusal(spec: Any, rootschema: Mapping[str, Any], jsonschema: Any):
    """The schema's refusal that names what the author wrote wrong. Where a spec may take one of
    several shapes (a mark as a name or an object: a plain mark, a boxplot, an error bar...), the
    error said first is often another shape's (`mark.type` should be "boxplot"): the deepest error
    that is not another shape's `type` (a `const`: "boxplot"), then, is the author's (`mark.filled` is not a
    boolean); a misspelt type of the author's own (an `enum`: "nominall") stays named."""
    def flat(errors):
        for item in errors:
            yield item
            yield from flat(item.context or [])

    best = None
    for item in flat(jsonschema.Draft7Validator(rootschema).iter_errors(spec)):
        path = list(item.absolute_path)
        if not path or item.validator in ("anyOf", "oneOf") or (
                item.validator == "const" and path[-1] == "type"):
            continue
        if best is None or len(path) > len(best.absolute_path):
            best = item
    return best


def load_vegalite_chart(chart_id: str, path: str, text: str, datasets: Mapping[str, Dataset],
                        theme: Mapping[str, Any], layout: ChartLayout = DEFAULT_LAYOUTS[0],
                        ) -> tuple[ChartDefinition | None, list[Diagnostic]]:
    """A plain Vega-Lite file; `data.url` naming a story CSV (data/x.csv) is inlined."""
    deep = _too_deep(text)
    if deep:
        return None, [error("chart-too-deep", f"chart '{chart_id}' nests arrays and objects more than "
                            f"{MAX_SPEC_DEPTH} levels deep", SourceLocation(path, *deep),
                            "a Vega-Lite spec needs a dozen levels at most: close the brackets opened before "
                            "this place, or keep deep data in a CSV of the story's data/")]
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [error("chart-json", f"chart '{chart_id}' is not valid JSON: {exc.msg}",
                            SourceLocation(path, exc.lineno, exc.colno), "check commas and quotes near this place")]
    if not isinstance(spec, dict):
        return None, [error("chart-json", f"chart '{chart_id}' must be a JSON object", SourceLocation(path, 1),
                            "a Vega-Lite spec starts with {")]
    problems: list[Diagnostic] = []
    used: list[str] = []
    spec = _inline_story_data(selections.as_params(spec), datasets, path, text, problems, used)
    if problems:
        return None, problems
    from . import schema

    if not schema.is_valid(spec, vegalite_schema()):  # Altair imported only for its message
        import altair as alt

        try:
            alt.TopLevelSpec.validate(spec)  # Altair's own check
        except alt.utils.schemapi.jsonschema.ValidationError as exc:  # name the property and the value it refused
            return None, [_invalid(chart_id, path, text, _refusal(spec, alt.TopLevelSpec._rootschema,
                                                                   alt.utils.schemapi.jsonschema) or exc, spec)]
    usermeta = spec.get("usermeta") if isinstance(spec.get("usermeta"), dict) else {}
    title = spec.get("title")
    title = _lines(title.get("text", "") if isinstance(title, dict) else title)
    if isinstance(title, dict):  # a title that follows a param: the chart draws it, the page needs its own
        title = usermeta.get("title")
        if not isinstance(title, str) or not title.strip():
            line, column = line_of_token(text, ["title"], 1)
            return None, [error("chart-no-title", f"chart '{chart_id}' has no title the page can show: its title "
                                "follows a param", SourceLocation(path, line, column),
                                "keep it, and add a fixed title for the page above the chart: "
                                "\"usermeta\": {\"title\": \"…\"}")]
    meta = {"TITLE": title if isinstance(title, str) else None, "ALT": spec.get("description"), "SOURCE": usermeta.get("source"),
            "CAPTION": _subtitle_caption(spec.get("title"), usermeta.get("caption")), "SOURCES": usermeta.get("sources")}
    meta["TRANSLATIONS"] = (usermeta.get("broadsheet") if isinstance(usermeta.get("broadsheet"), dict) else {}).get("translations")
    problems = _usermeta_problems(chart_id, path, text, usermeta)
    if problems:
        return None, problems
    return _finish(chart_id, path, spec, meta, theme, (), text, tuple(dict.fromkeys(used)), datasets, layout)


def _usermeta_problems(chart_id: str, path: str, text: str, usermeta: dict) -> list[Diagnostic]:
    """`usermeta` carries what a Python chart's CAPTION, SOURCE and SOURCES say, with the same types."""
    problems = []
    for name in ("caption", "source"):
        if usermeta.get(name) is not None and not isinstance(usermeta[name], str):
            problems.append(error("chart-meta-type", f"usermeta.{name} in chart '{chart_id}' must be a string",
                                  SourceLocation(path, *line_of_token(text, [name], 1)), f'write "{name}": "…"'))
    sources = usermeta.get("sources")
    if sources is not None and not (isinstance(sources, list) and all(isinstance(s, str) for s in sources)):
        problems.append(error("chart-meta-type", f"usermeta.sources in chart '{chart_id}' must be a list of source "
                              "keys", SourceLocation(path, *line_of_token(text, ["sources"], 1)),
                              'write "sources": ["semianalysis", "nbc"], keys of `sources:` in facts.yaml'))
    return problems


def _too_deep(text: str) -> tuple[int, int] | None:
    """(line, column) where a JSON text first nests deeper than MAX_SPEC_DEPTH, else None. Checked
    before the JSON is read: Python's reader, and every walk over the spec, recurse once per level."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_SPEC_DEPTH:
                start = match.start()
                return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
        elif token in ("]", "}"):
            depth -= 1
    return None


def _inline_story_data(spec: Any, datasets, path: str, text: str, problems: list[Diagnostic], used: list[str],
                       others: bool = True) -> Any:
    """The spec with each `data.url` naming a story file replaced by its data, read as Vega would
    read the file (`story_data`); any other address is a problem at its line (or, without
    `others`, left for the check of the compiled spec, which refuses every address left)."""
    names = _file_names(datasets)
    flat = _draws_flat(spec)

    def inline(spec: dict) -> dict:
        data = spec.get("data")
        if isinstance(data, dict) and "url" in data and (others or names.get(str(data["url"]).removeprefix("./"))):
            url = data["url"] if isinstance(data["url"], str) else json.dumps(data["url"])
            line, column = line_of_token(text, [url], 1)
            key = names.get(url.removeprefix("./"))
            if re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)", url):  # another host, or a file by address
                problems.append(error("chart-data-unknown", f"data url '{url}' is outside the story: the build "
                                      "fetches nothing and reads no file outside the story",
                                      SourceLocation(path, line, column),
                                      "save the file in the story's data/ folder and write \"data/<name>.csv\""))
            elif key is None:
                wanted = url.rsplit("/", 1)[-1]
                problems.append(error("chart-data-unknown", f"data url '{url}' is not a data file of this story",
                                      SourceLocation(path, line, column),
                                      f"{did_you_mean(wanted, [n[5:] for n in names])}write \"data/<file>\" with "
                                      f"the file's name and extension; the story has "
                                      f"{', '.join(sorted(n[5:] for n in names)) or 'no data file'}"))
            else:
                missing = _unknown_object(datasets[key], data, path, text)
                if missing is not None:
                    problems.append(missing)
                if not flat:
                    problems.extend(_not_degrees(datasets[key]))
                spec["data"] = story_data(datasets[key], key, data)
                used.append(key)
        return spec

    return walk.rebuild(spec, inline)


def _draws_flat(spec: Any) -> bool:
    """Whether every projection of the chart is `identity`: shapes already projected (metres) drawn
    as they are, the Vega-Lite way (`"projection": {"type": "identity", "reflectY": true}`)."""
    kinds = [node["projection"].get("type") for node in walk.nodes(spec, skip={"datasets", "values"})
             if isinstance(node.get("projection"), dict)]
    return bool(kinds) and all(kind == "identity" for kind in kinds)


def _not_degrees(dataset: Dataset) -> list[Diagnostic]:
    """geo-out-of-range, at the file's line, for shapes in other units than degrees drawn by a
    projection that reads longitudes and latitudes (every one but `identity`)."""
    if not (shapes.is_topology(dataset.document) or shapes.is_geojson(dataset.document)):
        return []
    key = (dataset.path, hashlib.sha256(dataset.raw).hexdigest())
    if key not in _NOT_DEGREES:  # each layout of each chart drawing the file asks: walked once a process
        if len(_NOT_DEGREES) > 8:
            _NOT_DEGREES.clear()
        text = dataset.raw.decode("utf-8-sig", "replace")
        _NOT_DEGREES[key] = [p for p in shapes.problems(dataset.document, text, dataset.path)
                             if p.code == "geo-out-of-range"]
    return list(_NOT_DEGREES[key])


_NOT_DEGREES: dict[tuple[str, str], list[Diagnostic]] = {}


_TYPES = {"csv": "csv", "tsv": "tsv", "json": "json", "geojson": "json", "topojson": "topojson"}


def _file_names(datasets) -> dict[str, str]:
    """'data/<file name>' -> the key charts use for that file (its stem, or its name)."""
    paths = getattr(datasets, "paths", None) or {key: table.path for key, table in datasets.items()}
    return {"data/" + file_path.replace("\\", "/").rsplit("/", 1)[-1]: key for key, file_path in paths.items()}


def story_data(dataset: Dataset, key: str, data: Mapping[str, Any]) -> dict:
    """A story file as inline data that Vega reads as it would read the file itself: CSV and TSV
    as their text with the spec's `format` (so `parse`, `delimiter` and Vega's own typing apply:
    a year stays "1990" until a date parse reads it as a year); JSON as its value, the rows under
    `format.property` taken out; GeoJSON and TopoJSON whole, for the format's `feature` or `mesh`.
    A table too large for the page goes by name, aggregated at build time."""
    fmt = dict(data.get("format") or {}) if isinstance(data.get("format"), dict) else {}
    extension = dataset.path.rsplit(".", 1)[-1].lower()
    kind = fmt.get("type") or _TYPES.get(extension, "json")
    rest = {k: v for k, v in data.items() if k not in ("url", "format")}
    parse = {"parse": fmt["parse"]} if "parse" in fmt else {}
    if kind in ("csv", "tsv", "dsv") and extension in ("csv", "tsv"):
        if len(dataset.rows) > INLINE_ROWS and kind == {"csv": "csv", "tsv": "tsv"}[extension] and "delimiter" not in fmt:
            return {**rest, "name": data_name(key), **({"format": parse} if parse else {})}
        return {**rest, "values": dataset.raw.decode("utf-8-sig"), "format": {**fmt, "type": kind}}
    document = dataset.document if dataset.document is not None else [dict(row) for row in dataset.rows]
    if shapes.is_topology(document) or shapes.is_geojson(document):
        document = _light(dataset)
    if kind == "json":
        rows = _rows_at(document, fmt.get("property"))
        if rows is not None:  # a large array is named by hoist_large_tables, as inline rows are
            return {**rest, "values": rows, **({"format": parse} if parse else {})}
    return {**rest, "values": document, "format": {**fmt, "type": kind}}


_LIGHT: dict[str, Any] = {}  # shapes files this process has made light, by their bytes' hash


def _light(dataset: Dataset) -> Any:
    """The shapes simplified and quantized for drawing (geometry.light), made once per file and process."""
    key = hashlib.sha256(dataset.raw).hexdigest()
    if key not in _LIGHT:
        if len(_LIGHT) > 8:
            _LIGHT.clear()
        _LIGHT[key] = geometry.light(dataset.document)
    return _LIGHT[key]


def _unknown_object(dataset: Dataset, data: Mapping[str, Any], path: str, text: str) -> Diagnostic | None:
    """geo-object-unknown when the spec's `format.feature` or `format.mesh` names no object of the TopoJSON file."""
    fmt = data.get("format") if isinstance(data.get("format"), dict) else {}
    if not shapes.is_topology(dataset.document):
        return None
    for how in ("feature", "mesh"):
        name = fmt.get(how)
        if isinstance(name, str) and name not in dataset.document["objects"]:
            line, column = line_of_token(text, [name], 1)
            return shapes.unknown_object(name, dataset.document, dataset.path, path, line, column, how)
    return None


def _rows_at(document: Any, prop: Any) -> list | None:
    """The array under a dotted `format.property` ("data.rows"), as Vega finds it, or None."""
    for part in prop.split(".") if isinstance(prop, str) and prop else ():
        document = document.get(part) if isinstance(document, dict) else None
    return document if isinstance(document, list) else None


def _finish(chart_id, path, spec, meta, theme, facts_used, source,
            datasets_used=(), datasets=None,
            layout: ChartLayout = DEFAULT_LAYOUTS[0],
            adapts: bool = False) -> tuple[ChartDefinition | None, list[Diagnostic]]:
    top = SourceLocation(path, 1)
    problems = []
    alt_text = (meta.get("ALT") or "").strip()
    if not alt_text:
        what = "ALT = \"…\"" if path.endswith(".py") else "\"description\": \"…\""
        problems.append(error("chart-no-alt", f"chart '{chart_id}' has no alt text", top,
                              f"add {what}: one or two sentences saying what the chart shows, for readers who cannot see it"))
    title = (meta.get("TITLE") or "").strip()
    if not title:
        what = "TITLE = \"…\"" if path.endswith(".py") else "\"title\": \"…\""
        problems.append(error("chart-no-title", f"chart '{chart_id}' has no title", top, f"add {what}"))
    if problems:
        return None, problems
    themed = apply_theme(spec, theme)
    if geometry.projection_of(themed) is not None and isinstance(theme.get("maps"), dict):  # a map: its colours
        themed = apply_theme(geometry.quiet_base_layers(spec),
                             {**theme, "config": apply_theme({"config": theme["maps"]},
                                                             {"config": theme.get("config", {})})["config"]})
    spec = fit_to_layout(themed, layout)
    fitted = spec.get("width") != themed.get("width")
    spec = geometry.fit_height(spec, layout.width) if fitted else spec
    map_height = "height" in spec and "height" not in themed
    spec.pop("$schema", None)
    spec, large = hoist_large_tables(spec, chart_id, path)
    stems = {data_name(stem): stem for stem in (datasets or {})}
    for name in _named_sources(spec):
        if name in stems and name not in large:
            large[name] = _parsed_as_text(datasets[stems[name]], _parse_of(spec, name))
    sources = meta.get("SOURCES") or ()
    return ChartDefinition(chart_id, path, spec, title, alt_text, (meta.get("CAPTION") or "").strip(),
                           (meta.get("SOURCE") or "").strip(), facts_used,
                           tuple(s for s in sources if isinstance(s, str)) if isinstance(sources, (list, tuple)) else (),
                           datasets_used, large, adapts, fitted, map_height,
                           _texts_by_language(meta, meta.get("TRANSLATIONS"))), []


def _parse_of(spec: Any, name: str) -> dict:
    """The `format.parse` a spec gives the named table, or {}."""
    for node in walk.nodes(spec, skip={"datasets", "values"}):
        data = node.get("data")
        if isinstance(data, dict) and data.get("name") == name and isinstance(data.get("format"), dict):
            parse = data["format"].get("parse")
            if isinstance(parse, dict):
                return parse
    return {}


def _parsed_as_text(dataset: Dataset, parse: Mapping[str, Any]) -> Dataset:
    """A large table whose year columns the spec parses as dates (`"parse": {"year": "date"}`)
    gets them as Vega reads them from the file: the text "1990" is the year 1990 (UTC), where the
    number 1990 would be 1990 ms after 1970. They are written "1990-01-01", the same instant,
    which VegaFusion (it aggregates large tables) parses too."""
    fields = {field for field, how in parse.items() if how not in ("number", "boolean") and field in dataset.columns}
    if not fields:
        return dataset

    def text(value):
        return f"{value:04d}-01-01" if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9999 \
            else value

    rows = dataset.rows
    if hasattr(rows, "columns_data"):  # a CSV kept by columns
        rows = type(rows)(rows.columns, [list(map(text, values)) if column in fields else values
                                         for column, values in zip(rows.columns, rows.columns_data)])
    else:
        rows = tuple({key: text(value) if key in fields else value for key, value in row.items()} for row in rows)
    return replace(dataset, rows=rows)


def _is_table(rows: Any) -> bool:
    return isinstance(rows, list) and all(isinstance(row, dict) for row in rows)


def hoist_large_tables(spec: dict, chart_id: str, path: str) -> tuple[dict, dict[str, Dataset]]:
    """Rows the chart made itself (`alt.InlineData`, a data frame, inline `values`) that are too many
    for the page become named tables, like a large CSV: (spec, {name: table})."""
    large: dict[str, Dataset] = {}

    def table(name: str, rows: list) -> None:
        columns = tuple(dict.fromkeys(key for row in rows for key in row))
        large[name] = Dataset(f"{chart_id}-{len(large) + 1}" if large else chart_id, path, columns, tuple(rows),
                              b"", SourceLocation(path, 1))

    datasets = spec.get("datasets")
    if isinstance(datasets, dict):  # Altair gathers inline rows here, under names it derives from them
        kept = {}
        for name, rows in datasets.items():
            if _is_table(rows) and len(rows) > INLINE_ROWS:
                table(name, rows)
            else:
                kept[name] = rows
        spec = {**spec, "datasets": kept} if kept else {k: v for k, v in spec.items() if k != "datasets"}

    def hoist(node: dict) -> dict:
        data = node.get("data")
        if isinstance(data, dict) and _is_table(data.get("values")) and len(data["values"]) > INLINE_ROWS:
            name = f"rows_{len(large) + 1}"
            table(name, data["values"])
            node["data"] = {"name": name, **{k: v for k, v in data.items() if k not in ("values", "name")}}
        return node

    return walk.rebuild(spec, hoist), large


def _named_sources(spec: Any) -> list[str]:
    """Names of the data sources a spec reads by name (`"data": {"name": ...}`), in order."""
    names = [node["data"]["name"] for node in walk.nodes(spec, skip={"datasets"})
             if isinstance(node.get("data"), dict) and isinstance(node["data"].get("name"), str)
             and "values" not in node["data"]]
    return list(dict.fromkeys(names))


def apply_theme(spec: Mapping[str, Any], theme: Mapping[str, Any]) -> dict:
    """The house config under the chart's own: the chart's settings win."""
    def merge(base, over):
        if isinstance(base, dict) and isinstance(over, dict):
            out = dict(base)
            for key, value in over.items():
                out[key] = merge(base.get(key), value)
            return out
        return copy.deepcopy(over)

    spec = dict(spec)
    config = merge(dict(theme.get("config", {})), spec.get("config", {}))
    if config:
        spec["config"] = config
    if "description" not in spec and theme.get("description"):
        spec["description"] = theme["description"]
    return spec
