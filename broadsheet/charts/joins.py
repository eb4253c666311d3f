"""Map joins: a table of values joined to shapes by key (`transform_lookup`), checked key by key.

A key that matches nothing is silent in Vega: a département coded "01" in the shapes and 1 in the
CSV, a country named differently, and the map draws it as missing, or not at all, with no word to
anyone. Both sides are known at build time, so the keys that do not meet are named here, as
warnings at the chart's `lookup`.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Iterator, Mapping

from .. import shapes
from ..diagnostics import Diagnostic, SourceLocation, warning
from .sources import line_of_token

SHOWN_KEYS = 8  # keys a message names before "and N more"


def key_problems(spec: dict, chart_id: str, path: str, text: str) -> list[Diagnostic]:
    """Warnings for every lookup between shapes and a table whose keys do not all meet."""
    found: list[Diagnostic] = []
    for data, lookup in _lookups(spec, spec.get("data")):
        source = lookup.get("from") if isinstance(lookup.get("from"), dict) else {}
        near, far = _keys(data, lookup.get("lookup"), spec), _keys(source.get("data"), source.get("key"), spec)
        if near is None or far is None or (near[1] == far[1]):  # a side unknown, or no shapes/table pair
            continue
        line, column = line_of_token(text, [str(lookup.get("lookup")), "transform_lookup", "lookup"], 1)
        where = SourceLocation(path, line, column)
        shape_keys, table_keys = (near[0], far[0]) if near[1] else (far[0], near[0])
        unmatched = [key for key in table_keys if key not in shape_keys]
        unshaped = set(_null_ids(data if near[1] else source.get("data"), lookup.get("lookup") if near[1]
                                 else source.get("key")))
        if unmatched:
            hint = _unmatched_hint(unmatched, shape_keys) if not unshaped.issuperset(unmatched) else (
                "the shapes file names these places but gives them no shape (\"type\": null, often places too "
                "small for its scale): filter their rows out, or use a file that draws them")
            found.append(warning("map-key-unmatched", f"chart '{chart_id}': {_named(unmatched)} of the table "
                                 f"match{'es' if len(unmatched) == 1 else ''} no shape", where, hint))
        # The shapes drawn, the values joined to them: a shape with none shows as missing. Or the
        # rows drawn, each with the shape it looks up (`as`): a shape with no row is a hole, unless a
        # base map of the same shapes draws it.
        drawn_from_table = not near[1] and not source.get("fields") and not _drawn_whole(spec, source.get("data"))
        absent = [key for key in shape_keys if key not in table_keys] if near[1] or drawn_from_table else []
        if absent:
            said, hint = _NO_VALUE if near[1] else _NO_ROW
            found.append(warning("map-shape-no-value", f"chart '{chart_id}': {_named(absent)} "
                                 f"ha{'s' if len(absent) == 1 else 've'} {said}", where, hint))
    return found


_NO_VALUE = ("no value in the table: drawn as missing",
             "add a row for each (an empty value is said as missing on purpose), or filter the shapes you do not show")
_NO_ROW = ("no row in the table, which draws the map: not drawn at all, a hole in the map",
           "add a row for each, or make the shapes the chart's data and look the values up from the table (the "
           "author guide's map): a place without a value is then drawn in the missing colour, with a key that says so")


def _drawn_whole(spec: dict, shapes_data: Any) -> bool:
    """Whether a layer of the chart draws these shapes as its own data (a base map under the
    places a table picks out): the shapes that table leaves out are drawn there."""
    def drawn(node: Any, data: Any) -> bool:
        if not isinstance(node, dict):
            return False
        data = node.get("data", data)
        transforms = node.get("transform") or []
        if data == shapes_data and "mark" in node and not any(isinstance(t, dict) and "filter" in t for t in transforms):
            return True
        children = [child for key in ("layer", "hconcat", "vconcat", "concat") for child in node.get(key) or []]
        return any(drawn(child, data) for child in children + [node.get("spec")])

    return isinstance(shapes_data, dict) and drawn(spec, spec.get("data"))


def _unmatched_hint(unmatched: list[str], shape_keys: list[str]) -> str:
    """What to change: the zeros a number lost when the keys are codes like "01", else the spelling."""
    width = max((len(key) for key in shape_keys), default=0)
    if any(key.isdigit() and key.zfill(width) in shape_keys and key not in shape_keys for key in unmatched):
        return (f"the table's keys were read as numbers and lost their leading zeros (the shapes have e.g. "
                f"{_named(sorted(shape_keys)[:3])}): join on text, e.g. transform_calculate(key=\"pad(toString("
                f"datum.code), {width}, '0', 'left')\") and lookup='key', or key both sides by name")
    return (f"write the keys as the shapes do (they have e.g. {_named(sorted(shape_keys)[:3])}): same spelling, "
            "same accents; or remove the rows")


def _named(keys: list[str]) -> str:
    shown = ", ".join(f"'{key}'" for key in keys[:SHOWN_KEYS])
    more = f" and {len(keys) - SHOWN_KEYS} more" if len(keys) > SHOWN_KEYS else ""
    return f"{'key' if len(keys) == 1 else 'keys'} {shown}{more}"


def _lookups(node: Any, data: Any) -> Iterator[tuple[Any, dict]]:
    """(the data a lookup reads, the lookup) for each lookup transform, a layer inheriting its parent's data."""
    if not isinstance(node, dict):
        return
    data = node.get("data", data)
    for transform in node.get("transform") or []:
        if isinstance(transform, dict) and "lookup" in transform:
            yield data, transform
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in node.get(key) or []:
            yield from _lookups(child, data)
    if isinstance(node.get("spec"), dict):
        yield from _lookups(node["spec"], data)


def _keys(data: Any, field: Any, spec: dict) -> tuple[list[str], bool] | None:
    """(the keys of the rows in order, whether the rows are shapes), or None when unknown here."""
    if not isinstance(data, dict) or not isinstance(field, str):
        return None
    values = data.get("values")
    if values is None and isinstance(data.get("name"), str):
        values = (spec.get("datasets") or {}).get(data["name"])
    fmt = data.get("format") if isinstance(data.get("format"), dict) else {}
    is_shapes = shapes.is_topology(values) or shapes.is_geojson(values)
    rows = _features(values, fmt) if is_shapes else _rows(values, fmt)
    if rows is None:
        return None
    keys = [_key(_field(row, field)) for row in rows]
    return list(dict.fromkeys(key for key in keys if key is not None)), is_shapes


def _null_ids(data: Any, field: Any) -> list[str]:
    """The keys of a TopoJSON object's null objects (`"type": null`): named, never drawn."""
    if not isinstance(data, dict) or not shapes.is_topology(data.get("values")) or not isinstance(field, str):
        return []
    fmt = data.get("format") if isinstance(data.get("format"), dict) else {}
    top = data["values"]["objects"].get(fmt.get("feature")) if fmt.get("feature") else None
    geometries = (top.get("geometries") if isinstance(top, dict) else None) or []
    keys = [_key(_field(g, field)) for g in geometries if isinstance(g, dict) and not g.get("type")]
    return [key for key in keys if key is not None]


def _features(document: Any, fmt: dict) -> list | None:
    if shapes.is_topology(document):
        top = document["objects"].get(fmt.get("feature")) if fmt.get("feature") else None
        if not isinstance(top, dict):
            return None  # a mesh, or no object chosen: no features to join
        geometries = top.get("geometries") if top.get("type") == "GeometryCollection" else [top]
        # a null object (`"type": null`) draws nothing: a value joined to its id shows nowhere
        return [g for g in geometries if isinstance(g, dict) and g.get("type")] if isinstance(geometries, list) else None
    return document.get("features") if document.get("type") == "FeatureCollection" else [document]


def _rows(values: Any, fmt: dict) -> list | None:
    if isinstance(values, list):
        return [row for row in values if isinstance(row, dict)]
    if isinstance(values, str) and fmt.get("type") in ("csv", "tsv"):
        reader = csv.DictReader(io.StringIO(values.lstrip("\ufeff")), delimiter="\t" if fmt["type"] == "tsv" else ",")
        parse = fmt.get("parse")
        as_text = {name for name, kind in parse.items() if kind == "string"} if isinstance(parse, dict) else set()
        if "parse" in fmt and parse is None:  # `"parse": null`: Vega leaves every cell as text
            return [{key: value or None for key, value in row.items()} for row in reader]
        return [{key: (value or None) if key in as_text else _typed(value) for key, value in row.items()}
                for row in reader]
    return None


def _typed(text: str | None) -> Any:
    """A CSV cell as Vega's automatic parsing reads it: "036" is the number 36."""
    if text is None or text.strip() == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _field(row: Any, field: str) -> Any:
    value = row
    for part in field.split("."):  # "properties.code", as Vega reads a field
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _key(value: Any) -> str | None:
    """Keys as Vega's lookup compares them (as text: 36 and "36" meet, "036" and 36 do not)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def missing_colour(spec: dict, theme: Mapping[str, Any]) -> str:
    """The theme's missing colour when the map draws a shape with no value (its key absent from the
    table, or its row's value empty), for the key the page shows beside it; "" otherwise."""
    maps = theme.get("maps") if isinstance(theme.get("maps"), dict) else {}
    invalid = ((maps.get("scale") or {}).get("invalid") or {}).get("fill") or {}
    colour = invalid.get("value") if isinstance(invalid, dict) else None
    if not isinstance(colour, str):
        return ""
    for data, lookup in _lookups(spec, spec.get("data")):
        source = lookup.get("from") if isinstance(lookup.get("from"), dict) else {}
        near, far = _keys(data, lookup.get("lookup"), spec), _keys(source.get("data"), source.get("key"), spec)
        if near is None or far is None or not near[1] or far[1]:
            continue
        if [key for key in near[0] if key not in far[0]] or _empty_values(source, spec):
            return colour
    return ""


def _empty_values(source: dict, spec: dict) -> bool:
    """Whether a row of the table has an empty value in one of the fields the lookup brings."""
    data = source.get("data") if isinstance(source.get("data"), dict) else {}
    values = data.get("values") if "values" in data else (spec.get("datasets") or {}).get(data.get("name"))
    rows = _rows(values, data.get("format") if isinstance(data.get("format"), dict) else {}) or []
    fields = [f for f in source.get("fields") or [] if isinstance(f, str)]
    return any(_field(row, name) in (None, "") for row in rows for name in fields)
