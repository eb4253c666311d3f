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
from functools import lru_cache
from typing import Any, Mapping

from ..diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from ..model import Dataset, FactSet
from .large_tables import INLINE_ROWS
from . import walk
from .layouts import DEFAULT_LAYOUTS, ChartLayout, fit_to_layout


META_NAMES = ("TITLE", "ALT", "CAPTION", "SOURCE", "SOURCES")


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


def for_layout(definition: ChartDefinition, layout: ChartLayout) -> ChartDefinition:
    """The same chart for another layout, when its code does not look at the layout: only the
    width fit_to_layout gave it changes (running the code again would give the same spec)."""
    if definition.adapts:
        raise ValueError("a chart that adapts to its layout is run again for each layout")
    if not definition.fitted:
        return definition
    return replace(definition, vegalite={**definition.vegalite, "width": layout.width})


def warm_up() -> None:
    """Import Altair ahead of the first chart (a worker process does it while it waits)."""
    import altair  # noqa: F401


def vegalite_version() -> str:
    """The Vega-Lite release Altair writes its specs for ("6.4.1"): the one that compiles them."""
    import altair

    return altair.VEGALITE_VERSION


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

    return TableRef


def _rows_name(dataset: Dataset) -> str:
    """Altair's name for these rows inline (`altair.vegalite.v6.api._dataset_name`)."""
    values_json = json.dumps([dict(row) for row in dataset.rows], sort_keys=True, default=str)
    return "data-" + hashlib.sha256(values_json.encode()).hexdigest()[:32]


def chart_data(dataset: Dataset):
    """What `data[name]` gives chart code: a reference to the rows, named in the spec."""
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
    for one layout; never raises for author mistakes."""
    import altair as alt

    top = SourceLocation(path, 1)
    try:
        code = compile(source, abs_path, "exec")
    except SyntaxError as exc:
        return None, [error("chart-syntax", f"chart '{chart_id}' is not valid Python: {exc.msg}",
                            SourceLocation(path, exc.lineno or 1, exc.offset or 0),
                            "fix the Python syntax on this line (a missing bracket or colon?)")]
    namespace: dict[str, Any] = {"__name__": f"broadsheet_chart_{chart_id.replace('-', '_')}", "__file__": abs_path}
    seen = _FactsSeen(facts)
    try:
        exec(code, namespace)  # noqa: S102 - chart files are the newsroom's own code, like a build script
        function = namespace.get("chart")
        if not callable(function):
            return None, [error("chart-no-function", f"chart file '{chart_id}' defines no chart(data, facts) function",
                                top, "add `def chart(data, facts):` returning an Altair chart")]
        data_view = _DataView(datasets)
        result = function(data_view, seen, layout) if _accepts_layout(function) else function(data_view, seen)
    except Exception as exc:  # the chart's own code failed: report it at its line
        line = _frame_line(exc, abs_path)
        text = exc.args[0] if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str) else str(exc)
        return None, [error("chart-exception", f"chart '{chart_id}' raised {type(exc).__name__}: {text}",
                            SourceLocation(path, line or 1), "fix the chart code at this line")]
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
    except Exception as exc:  # Altair raises plain errors too (untyped field, max rows...)
        untyped = re.match(r"(\S+) encoding field is specified without a type", str(exc))
        line, column = line_of_token(source, [untyped.group(1)] if untyped else [], _frame_line(exc, abs_path) or 1)
        message = f"field '{untyped.group(1)}' has no type" if untyped else f"cannot be converted: {exc}"
        return None, [error("chart-invalid", f"chart '{chart_id}': {message}", SourceLocation(path, line, column),
                            "give every field its type: alt.X('rate', type='quantitative') or 'rate:Q' "
                            "(Q number, N category, O ordered category, T date)")]
    meta = {name: namespace.get(name) for name in META_NAMES}
    problems = [error("chart-meta-type", f"{name} in chart '{chart_id}' must be a string",
                      SourceLocation(path, _assignment_line(source, name)), f'write {name} = "…"')
                for name, value in meta.items()
                if name != "SOURCES" and value is not None and not isinstance(value, str)]
    sources = meta.get("SOURCES")
    if sources is not None and not (isinstance(sources, (list, tuple)) and all(isinstance(s, str) for s in sources)):
        problems.append(error("chart-meta-type", f"SOURCES in chart '{chart_id}' must be a list of source keys", top,
                              'write SOURCES = ["semianalysis", "nbc"], keys of `sources:` in facts.yaml'))
    if problems:
        return None, problems
    return _finish(chart_id, path, spec, meta, theme, tuple(dict.fromkeys(seen.seen)), source,
                   tuple(dict.fromkeys(data_view.seen)), datasets, layout, _accepts_layout(function))


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
        raise KeyError(f"no data file '{key}'; {did_you_mean(key, self.names)}"
                       f"the story has {', '.join(n + '.csv' for n in self.names) or 'no CSV'}")


def load_vegalite_chart(chart_id: str, path: str, text: str, datasets: Mapping[str, Dataset],
                        theme: Mapping[str, Any], layout: ChartLayout = DEFAULT_LAYOUTS[0],
                        ) -> tuple[ChartDefinition | None, list[Diagnostic]]:
    """A plain Vega-Lite file; `data.url` naming a story CSV (data/x.csv) is inlined."""
    import altair as alt

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
    spec = _inline_story_data(spec, datasets, path, text, problems, used)
    if problems:
        return None, problems
    from . import schema

    try:
        if not schema.is_valid(spec, alt.TopLevelSpec._rootschema):
            alt.TopLevelSpec.validate(spec)  # Altair's own check, for its message
    except alt.utils.schemapi.jsonschema.ValidationError as exc:  # name the property and the value it refused
        where = [str(part) for part in getattr(exc, "absolute_path", [])]
        keys = [part for part in where if not part.isdigit()]
        instance = json.dumps(getattr(exc, "instance", None), ensure_ascii=False)[:80]
        value = getattr(exc, "instance", None)
        tokens = ([value] if isinstance(value, str) else []) + keys[-1:]  # the refused value is the surest place
        line, column = line_of_token(text, tokens or re.findall(r"['`]([^'`]+)['`]", str(exc)), 1)
        message = f"'{'.'.join(where)}' cannot be {instance}" if where else str(exc).strip().split("\n")[0]
        return None, [error("chart-invalid", f"chart '{chart_id}' is not valid Vega-Lite: {message}",
                            SourceLocation(path, line, column),
                            f"see the values '{keys[-1] if keys else 'this property'}' accepts in the Vega-Lite "
                            "documentation (vega.github.io/vega-lite/docs)")]
    usermeta = spec.get("usermeta") if isinstance(spec.get("usermeta"), dict) else {}
    title = spec.get("title")
    title = title.get("text", "") if isinstance(title, dict) else title
    if isinstance(title, dict):  # a title that follows a param: the chart draws it, the page needs its own
        title = usermeta.get("title")
        if not isinstance(title, str) or not title.strip():
            line, column = line_of_token(text, ["title"], 1)
            return None, [error("chart-no-title", f"chart '{chart_id}' has no title the page can show: its title "
                                "follows a param", SourceLocation(path, line, column),
                                "keep it, and add a fixed title for the page above the chart: "
                                "\"usermeta\": {\"title\": \"…\"}")]
    meta = {"TITLE": title if isinstance(title, str) else None, "ALT": spec.get("description"),
            "CAPTION": usermeta.get("caption"), "SOURCE": usermeta.get("source"), "SOURCES": usermeta.get("sources")}
    return _finish(chart_id, path, spec, meta, theme, (), text, tuple(dict.fromkeys(used)), datasets, layout)


def _inline_story_data(spec: Any, datasets, path: str, text: str, problems: list[Diagnostic], used: list[str]) -> Any:
    """The spec with each `data.url` naming a story CSV replaced by its rows (or, for a large one,
    its name); any other address is a problem at its line."""
    def inline(spec: dict) -> dict:
        data = spec.get("data")
        if isinstance(data, dict) and "url" in data:
            url = data["url"] if isinstance(data["url"], str) else json.dumps(data["url"])
            stem = url.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            line, column = line_of_token(text, [url], 1)
            if re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)", url):  # another host, or a file by address
                problems.append(error("chart-data-unknown", f"data url '{url}' is outside the story: the build "
                                      "fetches nothing and reads no file outside the story",
                                      SourceLocation(path, line, column),
                                      "save the file in the story's data/ folder and write \"data/<name>.csv\""))
            elif not url.startswith("data/") or ".." in url or stem not in datasets:
                problems.append(error("chart-data-unknown", f"data url '{url}' is not a CSV of this story",
                                      SourceLocation(path, line, column),
                                      f"{did_you_mean(stem, datasets)}use \"data/<name>.csv\" for a file in the story's data/"))
            else:
                dataset = datasets[stem]
                large = len(dataset.rows) > INLINE_ROWS
                spec["data"] = {"name": data_name(stem)} if large else {"values": [dict(r) for r in dataset.rows]}
                used.append(stem)
        return spec

    return walk.rebuild(spec, inline)


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
    spec = fit_to_layout(themed, layout)
    fitted = spec.get("width") != themed.get("width")
    spec.pop("$schema", None)
    spec, large = hoist_large_tables(spec, chart_id, path)
    stems = {data_name(stem): stem for stem in (datasets or {})}
    for name in _named_sources(spec):
        if name in stems and name not in large:
            large[name] = datasets[stems[name]]
    sources = meta.get("SOURCES") or ()
    return ChartDefinition(chart_id, path, spec, title, alt_text, (meta.get("CAPTION") or "").strip(),
                           (meta.get("SOURCE") or "").strip(), facts_used,
                           tuple(s for s in sources if isinstance(s, str)) if isinstance(sources, (list, tuple)) else (),
                           datasets_used, large, adapts, fitted), []


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
