"""Data files -> Dataset: typed rows, the original bytes, and problems with their line.

CSV and TSV: a column whose every non-empty cell reads as a number becomes numeric; the rest stay
text. JSON: an array of objects is a table as it is; an array of plain values is a table of one
column, `data`, as Vega reads it; any other document (an object, rows nested under a key, GeoJSON,
TopoJSON) is kept whole for the chart's `format` to pick from. The extension decides the reader.
A UTF-8 byte-order mark is accepted (spreadsheets write one); other encodings are refused with
the line of the first byte that is not UTF-8.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from itertools import compress
from operator import itemgetter
from types import MappingProxyType

from .collector import bulk
from .diagnostics import Diagnostic, SourceLocation, error, warning
from .model import Dataset
from . import shapes

MAX_CSV_BYTES = 50 * 1024 * 1024
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def _number(text: str) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _LineNumbers:
    """The file line of each non-blank record (0 = the header), as the reader counts them, read again
    only when a message needs one."""

    def __init__(self, text: str, delimiter: str = ","):
        self.text = text
        self.delimiter = delimiter
        self.starts: list[int] | None = None

    def __getitem__(self, index: int) -> int:
        if self.starts is None:
            reader = csv.reader(io.StringIO(self.text, newline=""), strict=True, delimiter=self.delimiter)
            self.starts = [reader.line_num for row in reader if "".join(row).strip()]
        return self.starts[index]


def _numbers(cells: list[str]) -> list | None:
    """The column as numbers (None for empty cells) when every filled cell is one, else None.
    The same reading as `_number`, in one pass: most cells are integers, so try that first."""
    if all(cells):  # no empty cell: whole-column conversions at C speed, the common case
        try:
            return list(map(int, cells))
        except ValueError:
            pass
        try:
            floats = list(map(float, cells))
        except ValueError:
            return None
        if not all(map(math.isfinite, floats)):
            return None
        # What int() reads stays an int, as in `_number`; only whole values can be ("2", "1_000").
        for index in compress(range(len(floats)), map(float.is_integer, floats)):
            try:
                floats[index] = int(cells[index])
            except ValueError:
                pass
        return floats
    values: list = []
    filled = False
    for cell in cells:
        if not cell:
            values.append(None)
            continue
        filled = True
        try:
            values.append(int(cell))
            continue
        except ValueError:
            pass
        try:
            value = float(cell)
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        values.append(value)
    return values if filled else None


def too_large(path: str, size: int, kind: str = "CSV") -> Diagnostic:
    """Refused before reading: a table this big would not fit a reader's page anyway."""
    return error("csv-too-large", f"{kind} file is {size // (1024 * 1024)} MB, over the "
                 f"{MAX_CSV_BYTES // (1024 * 1024)} MB limit", SourceLocation(path, 1),
                 "aggregate the data before publishing it, or split it into smaller files")


DATA_SUFFIXES = (".csv", ".tsv", ".json", ".geojson", ".topojson")  # what a story's data/ folder may hold


def parse_csv(raw: bytes, path: str, name: str, delimiter: str = ",") -> tuple[Dataset | None, list[Diagnostic]]:
    """Parse CSV bytes from `path`; `name` is the file stem charts use to find it."""
    with bulk():
        return _parse(raw, path, name, delimiter)


def parse_data(raw: bytes, path: str, name: str) -> tuple[Dataset | None, list[Diagnostic]]:
    """Any data file of a story, read by its extension (never by its stem alone)."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix == ".tsv":
        return parse_csv(raw, path, name, "\t")
    if suffix in (".json", ".geojson", ".topojson"):
        return parse_json(raw, path, name)
    return parse_csv(raw, path, name)


def parse_json(raw: bytes, path: str, name: str) -> tuple[Dataset | None, list[Diagnostic]]:
    """A JSON file: a table when it is an array (of objects, or of plain values), else the
    document kept whole; a syntax error is reported at its line and column."""
    text, problems = decode(raw, path, "JSON")
    if text is None:
        return None, problems
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [error("data-json", f"JSON file cannot be read: {exc.msg}",
                            SourceLocation(path, exc.lineno, exc.colno),
                            "check the commas, quotes and brackets near this place (a comma after the last "
                            "item is not allowed in JSON)")]
    # Coordinates in metres are said by the chart that draws them, unless it draws them flat
    # (an `identity` projection): a file is not wrong for being projected (sources._not_degrees).
    geo = [problem for problem in shapes.problems(document, text, path) if problem.code != "geo-out-of-range"]
    if any(problem.severity == "error" for problem in geo):
        return None, geo
    columns, rows = table_of(document)
    return Dataset(name, path, columns, rows, raw, SourceLocation(path, 1),
                   None if isinstance(document, list) else document), geo  # its warnings, if any


def table_of(document) -> tuple[tuple[str, ...], tuple]:
    """(columns, rows) of a JSON value as Vega reads it: an array of objects as it is, an array of
    plain values as rows of one field `data`; anything else has no rows of its own."""
    if not isinstance(document, list):
        return (), ()
    rows = tuple(MappingProxyType(item) if isinstance(item, dict) else MappingProxyType({"data": item})
                 for item in document)
    return tuple(dict.fromkeys(key for row in rows for key in row)), rows


def _parse(raw: bytes, path: str, name: str, delimiter: str = ",") -> tuple[Dataset | None, list[Diagnostic]]:
    read, problems = _read(raw, path, delimiter)
    if read is None:
        return None, problems
    columns, body = read
    typed_columns = []
    for index in range(len(columns)):
        stripped = list(map(str.strip, map(itemgetter(index), body)))
        numbers = _numbers(stripped)
        if numbers is None:  # text: an empty cell is None
            numbers = stripped if all(stripped) else [cell or None for cell in stripped]
        typed_columns.append(numbers)
    return Dataset(name, path, columns, Rows(columns, typed_columns), raw, SourceLocation(path, 1)), problems


class Rows(Sequence):
    """A table's rows, kept as columns: each row is made (a read-only mapping) when it is read, so
    a large table costs its values only. `.columns_data` gives the columns themselves."""

    def __init__(self, columns: tuple[str, ...], values: list[list]):
        self.columns = columns
        self.columns_data = values
        self._length = len(values[0]) if values else 0

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return MappingProxyType({c: v[index] for c, v in zip(self.columns, self.columns_data)})

    def __iter__(self):
        for values in zip(*self.columns_data):
            yield MappingProxyType(dict(zip(self.columns, values)))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None


def _read(raw: bytes, path: str, delimiter: str = ","):
    """((columns, body rows as lists of text), warnings) or (None, problems)."""
    kind = _kind(delimiter)
    text, problems = decode(raw, path, kind)
    if text is None:
        return None, problems
    records, problems = _records(text, path, delimiter)
    if records is None:
        return None, problems
    lines = _LineNumbers(text, delimiter)  # counted only when a message needs one: a quoted cell may span lines
    columns = tuple(cell.strip() for cell in records[0])
    body = records[1:]
    problems = _header_problems(columns, path, lines)
    if not body:
        problems.append(error("csv-empty", f"{kind} file has a header but no rows", SourceLocation(path, 1),
                              "add rows of data under the header"))
    problems += _ragged_rows(body, len(columns), path, lines, delimiter)
    if problems:
        return None, problems
    return (columns, body), _decimal_comma_warnings(columns, body, path, lines)


def _kind(delimiter: str) -> str:
    return "TSV" if delimiter == "\t" else "CSV"


def decode(raw: bytes, path: str, kind: str = "CSV") -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or why it cannot be read: too large, not UTF-8, empty."""
    if len(raw) > MAX_CSV_BYTES:
        return None, [too_large(path, len(raw), kind)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error("csv-encoding", f"{kind} file is not UTF-8", SourceLocation(path, line),
                            ("save it as 'CSV UTF-8' in your spreadsheet" if kind == "CSV" else
                             "save it as UTF-8 in your editor") + ", or convert it: `iconv -f latin1 -t utf-8`")]
    if not text.strip():
        return None, [error("csv-empty", f"{kind} file is empty", SourceLocation(path, 1),
                            "add a header row and at least one row of data" if kind != "JSON" else
                            "write the rows as a JSON array of objects: [{\"year\": 2020, \"value\": 1}]")]
    return text, []


def _records(text: str, path: str, delimiter: str) -> tuple[list | None, list[Diagnostic]]:
    """The non-blank records, or the line where the reader stopped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    try:
        records = list(reader)
        if not (all(records) and all(map(str.strip, map(itemgetter(0), records)))):  # at C speed, usually
            records = [row for row in records if "".join(row).strip()]  # blank lines and ",,," rows skipped
    except csv.Error as exc:
        opened = next((n for n, line in enumerate(text.split("\n"), start=1) if line.count('"') % 2), 0)
        message = "a quote opened on this line is never closed" if opened else \
            f"{_kind(delimiter)} cannot be read: {exc}"
        return None, [error("csv-syntax", message, SourceLocation(path, opened or reader.line_num),
                            'close the quote, or double a quote inside a quoted cell: "20"" screen"')]
    if not records:
        return None, [error("csv-empty", f"{_kind(delimiter)} file has no cell with a value", SourceLocation(path, 1),
                            "add a header row and at least one row of data")]
    return records, []


def _header_problems(columns: tuple[str, ...], path: str, lines) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for position, column in enumerate(columns, start=1):
        if not column:
            problems.append(error("csv-header", f"column {position} has no name", SourceLocation(path, lines[0]),
                                  "give every column a name in the first row"))
        elif column in seen:
            problems.append(error("csv-header", f"column '{column}' appears twice", SourceLocation(path, lines[0]),
                                  "column names must be unique"))
        seen.add(column)
    return problems


def _ragged_rows(body: list, width: int, path: str, lines, delimiter: str) -> list[Diagnostic]:
    if not set(map(len, body)) - {width}:  # the common case: every row as wide as the header
        return []
    hint = ("a cell holding a tab must be quoted; check for a missing or extra tab" if delimiter == "\t" else
            "a cell holding a comma must be quoted: \"10,5\"; check for a missing or extra comma")
    return [error("csv-ragged", f"row has {len(row)} cells but the header has {width}",
                  SourceLocation(path, lines[index]), hint)
            for index, row in enumerate(body, start=1) if len(row) != width]


def _decimal_comma_warnings(columns, body, path: str, lines) -> list[Diagnostic]:
    warnings = []
    for index in range(len(columns)):
        first = next((row[index].strip() for row in body if row[index].strip()), "")
        if not DECIMAL_COMMA.match(first):  # most columns stop here, at their first cell
            continue
        cells = [row[index] for row in body]
        filled = [position for position, cell in enumerate(cells, start=1) if cell.strip()]
        if all(DECIMAL_COMMA.match(cells[position - 1].strip()) for position in filled):  # so never a number
            warnings.append(warning("csv-decimal-comma", f"column '{columns[index]}' writes numbers with a decimal "
                                    "comma, so it is read as text", SourceLocation(path, lines[filled[0]]),
                                    "write decimals with a dot in CSV files (1.32, not \"1,32\"); charts cannot "
                                    "place text on a numeric axis"))
    return warnings
