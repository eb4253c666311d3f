"""Numbers in a CSV or TSV given to Vega as its text: typed as numbers, as Broadsheet reads them.

Vega reads a CSV's cells as text unless the format's `parse` names a field, and Vega-Lite names
only the fields its encodings and filters use. A field a composite mark or a transform aggregates
(a box plot's `min` and `max`, a window's `sum`) stays text, so `min` compares "-0.1" and "-4.2"
as words and the whisker lands inside the box: a wrong picture, in the page and in the live view.
After compiling, every column whose filled cells are all numbers (the rule of `data.py`) that the
format's `parse` does not name is parsed as a number; what the spec or Vega-Lite parses (a year
read as a date) is kept as it is. Vega-Lite moves a date parse out of `format.parse` into a
`toDate(datum["year"])` formula: the text "1970" is the year 1970, the number 1970 is 1970 ms after
1970, so a column some formula reads as a date stays text.
"""
from __future__ import annotations

import csv
import io
import math
import re
from typing import Any

_DELIMITERS = {"csv": ",", "tsv": "\t"}
_READ_AS_DATE = re.compile(r"""toDate\(\s*datum(?:\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\.(\w+))\s*\)""")


def numbers_typed(vega: dict) -> dict:
    """The Vega spec with `"number"` added to the `format.parse` of each inline CSV or TSV text."""
    data = vega.get("data")
    if not isinstance(data, list):
        return vega
    dates = _columns_read_as_dates(data)
    return {**vega, "data": [_typed(entry, dates) for entry in data]}


def _columns_read_as_dates(data: list) -> frozenset[str]:
    """The columns a `formula` transform reads with `toDate(datum[...])`, in any data set."""
    found = set()
    for entry in data:
        for step in (entry.get("transform") or []) if isinstance(entry, dict) else []:
            if isinstance(step, dict) and step.get("type") == "formula" and isinstance(step.get("expr"), str):
                for match in _READ_AS_DATE.finditer(step["expr"]):
                    found.add(next(group for group in match.groups() if group is not None))
    return frozenset(found)


def _typed(entry: Any, dates: frozenset[str] = frozenset()) -> Any:
    fmt = entry.get("format") if isinstance(entry, dict) else None
    if not isinstance(entry.get("values") if isinstance(entry, dict) else None, str) or not isinstance(fmt, dict):
        return entry
    delimiter = fmt.get("delimiter") if fmt.get("type") == "dsv" else _DELIMITERS.get(fmt.get("type"))
    parse = fmt.get("parse", {})
    if not isinstance(delimiter, str) or len(delimiter) != 1 or not isinstance(parse, dict):
        return entry  # `"parse": "auto"` or `null`: the author chose Vega's own typing
    added = {column: "number" for column in numeric_columns(entry["values"], delimiter)
             if column not in parse and column not in dates}
    return {**entry, "format": {**fmt, "parse": {**parse, **added}}} if added else entry


def numeric_columns(text: str, delimiter: str) -> list[str]:
    """The columns of a delimited text whose filled cells all read as finite numbers (at least one)."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = next(rows, None) or []
    numeric = [True] * len(header)
    filled = [False] * len(header)
    for row in rows:
        for index, cell in enumerate(row[:len(header)]):
            if numeric[index] and cell.strip():
                filled[index] = True
                numeric[index] = _is_number(cell)
    return [name for name, yes, some in zip(header, numeric, filled) if yes and some]


def _is_number(cell: str) -> bool:
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False
