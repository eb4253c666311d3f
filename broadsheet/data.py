"""CSV files -> Dataset: typed rows, the original bytes, and problems with their line.

A column whose every non-empty cell reads as a number becomes numeric; the rest stay text.
A UTF-8 byte-order mark is accepted (spreadsheets write one); other encodings are refused with
the line of the first byte that is not UTF-8.
"""
from __future__ import annotations

import csv
import io
import math
import re
from types import MappingProxyType

from .diagnostics import Diagnostic, SourceLocation, error, warning
from .model import Dataset

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


def too_large(path: str, size: int) -> Diagnostic:
    """Refused before reading: a table this big would not fit a reader's page anyway."""
    return error("csv-too-large", f"CSV file is {size // (1024 * 1024)} MB, over the "
                 f"{MAX_CSV_BYTES // (1024 * 1024)} MB limit", SourceLocation(path, 1),
                 "aggregate the data before publishing it, or split it into smaller files")


def parse_csv(raw: bytes, path: str, name: str) -> tuple[Dataset | None, list[Diagnostic]]:
    """Parse CSV bytes from `path`; `name` is the file stem charts use to find it."""
    top = SourceLocation(path, 1)
    if len(raw) > MAX_CSV_BYTES:
        return None, [too_large(path, len(raw))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error("csv-encoding", "CSV file is not UTF-8", SourceLocation(path, line),
                            "save it as 'CSV UTF-8' in your spreadsheet, or convert it: "
                            "`iconv -f latin1 -t utf-8`")]
    if not text.strip():
        return None, [error("csv-empty", "CSV file is empty", top, "add a header row and at least one row of data")]

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        opened = next((n for n, line in enumerate(text.split("\n"), start=1) if line.count('"') % 2), 0)
        message = "a quote opened on this line is never closed" if opened else f"CSV cannot be read: {exc}"
        return None, [error("csv-syntax", message, SourceLocation(path, opened or reader.line_num),
                            'close the quote, or double a quote inside a quoted cell: "20"" screen"')]
    records = [(line, row) for line, row in records if any(cell.strip() for cell in row)]
    if not records:
        return None, [error("csv-empty", "CSV file has no cell with a value", top,
                            "add a header row and at least one row of data")]
    header_line, header = records[0]
    columns = tuple(cell.strip() for cell in header)
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for position, column in enumerate(columns, start=1):
        if not column:
            problems.append(error("csv-header", f"column {position} has no name", SourceLocation(path, header_line),
                                  "give every column a name in the first row"))
        elif column in seen:
            problems.append(error("csv-header", f"column '{column}' appears twice", SourceLocation(path, header_line),
                                  "column names must be unique"))
        seen.add(column)
    body = records[1:]
    if not body:
        problems.append(error("csv-empty", "CSV file has a header but no rows", top, "add rows of data under the header"))
    for line, row in body:
        if len(row) != len(columns):
            problems.append(error("csv-ragged", f"row has {len(row)} cells but the header has {len(columns)}",
                                  SourceLocation(path, line),
                                  "a cell holding a comma must be quoted: \"10,5\"; check for a missing or extra comma"))
    if problems:
        return None, problems

    numeric = []
    warnings = []
    for index in range(len(columns)):
        cells = [(line, row[index]) for line, row in body if row[index].strip()]
        numeric.append(bool(cells) and all(_number(cell) is not None for _, cell in cells))
        comma = [line for line, cell in cells if DECIMAL_COMMA.match(cell.strip())]
        if comma and not numeric[-1] and len(comma) == len(cells):
            warnings.append(warning("csv-decimal-comma", f"column '{columns[index]}' writes numbers with a decimal "
                                    "comma, so it is read as text", SourceLocation(path, comma[0]),
                                    "write decimals with a dot in CSV files (1.32, not \"1,32\"); charts cannot "
                                    "place text on a numeric axis"))
    rows = []
    for _, row in body:
        typed = {}
        for index, column in enumerate(columns):
            cell = row[index]
            typed[column] = _number(cell) if numeric[index] else (cell.strip() if cell.strip() else None)
        rows.append(MappingProxyType(typed))
    return Dataset(name, path, columns, tuple(rows), raw, top), warnings
