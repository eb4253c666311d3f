"""The checks that keep every number a reader sees true: a reader's scenario never passes for a
source's figure, a headline does not call estimates verified, a figure past the story's freshness
limit is flagged. Pure functions over what the story module has read; they return Diagnostics.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any, Iterable, Mapping

from .diagnostics import Diagnostic, SourceLocation, did_you_mean, error, warning
from .model import FactSet

UNCERTAIN = ("estimate", "assumption")  # statuses a "verified" claim cannot cover
VERIFIED = re.compile(r"\b(?:v[ée]rifi[ée]e?s?|verified|fact-checked)\b", re.IGNORECASE)
DURATION = re.compile(r"^\s*(\d{1,5})\s*([a-zéû]+)\s*$", re.IGNORECASE)
# Each unit a duration may be written in: (days, months) it counts; months are counted on the calendar.
UNITS = {"d": (1, 0), "day": (1, 0), "days": (1, 0), "j": (1, 0), "jour": (1, 0), "jours": (1, 0),
         "w": (7, 0), "week": (7, 0), "weeks": (7, 0), "semaine": (7, 0), "semaines": (7, 0),
         "m": (0, 1), "month": (0, 1), "months": (0, 1), "mois": (0, 1),
         "y": (0, 12), "year": (0, 12), "years": (0, 12), "an": (0, 12), "ans": (0, 12), "année": (0, 12),
         "années": (0, 12)}
STATUS_COLUMNS = ("status", "statut")


def live_facts(facts: FactSet, params: Iterable[str]) -> set[str]:
    """Fact keys whose value a chart's slider changes: a slider named like the fact, or a derived
    fact with such a slider among its inputs (directly or not)."""
    live = {name for name in params if name in facts.facts}
    changed = True
    while changed:  # a fixed point: each pass adds the derived facts of the last one
        changed = False
        for key, fact in facts.facts.items():
            if key not in live and fact.program is not None and live & set(fact.inputs):
                live.add(key)
                changed = True
    return live


def scenario_problems(directives, facts: FactSet, params: Iterable[str]) -> list[Diagnostic]:
    """{scenario:key} must name a value the reader can change; otherwise it is a published figure
    shown without its source."""
    live = live_facts(facts, params)
    problems = []
    for directive in directives:
        if directive.kind != "scenario" or directive.name not in facts.facts or directive.name in live:
            continue
        problems.append(error("scenario-static", f"{{scenario:{directive.name}}} names a fact that no chart slider "
                              "changes", directive.location,
                              f"write {{fact:{directive.name}}} (the published figure, with its source); "
                              "a scenario shows a slider's value or a fact derived from one"
                              + (f" ({', '.join(sorted(live))})" if live else "")))
    return problems


def verified_claim(meta: Mapping[str, Any], facts: FactSet, index_path: str) -> list[Diagnostic]:
    """A title or dek that promises verified figures while some are estimates or assumptions."""
    uncertain = [key for key, fact in facts.facts.items() if fact.status in UNCERTAIN and not fact.formula]
    if not uncertain:
        return []
    problems = []
    for field in ("title", "dek"):
        match = VERIFIED.search(meta.get(field) or "")
        if not match:
            continue
        shown = ", ".join(uncertain[:3]) + (f" and {len(uncertain) - 3} more" if len(uncertain) > 3 else "")
        problems.append(warning("claim-verified", f"the {field} says {match.group(0)!r} but {len(uncertain)} of the "
                                f"story's facts {'is an estimate or an assumption' if len(uncertain) == 1 else 'are estimates or assumptions'} "
                                f"({shown})",
                                meta["locations"].get(field, SourceLocation(index_path, 1)),
                                "say what the figures are (sourced, one by one) rather than verified, "
                                "or give those facts a source that confirms them"))
    return problems


def stale_limit(raw: Any, today: dt.date, where: SourceLocation) -> tuple[dt.date | None, list[Diagnostic]]:
    """`stale_after:` -> the oldest `as_of` still fresh: a date as written, or a duration (`365d`,
    `18 months`, `2 years`) counted back from `today`."""
    if raw is None or raw == "":
        return None, []
    if isinstance(raw, dt.date):
        return raw, []
    text = str(raw).strip()
    try:
        return dt.date.fromisoformat(text), []
    except ValueError:
        pass
    match = DURATION.match(text)
    unit = match.group(2).lower() if match else ""
    if match and unit in UNITS:
        return _back(today, int(match.group(1)) * UNITS[unit][0], int(match.group(1)) * UNITS[unit][1]), []
    return None, [error("stale-after", f"stale_after {text[:40]!r} is neither a duration nor a date", where,
                        f"{did_you_mean(unit, UNITS) if unit else ''}write a duration like `365d`, `18 months`, "
                        "`2 years`, or a date like 2025-01-01")]


def _back(today: dt.date, days: int, months: int) -> dt.date:
    """`today` less some days or calendar months (the 31st of a shorter month is its last day);
    never before year 1."""
    total = today.year * 12 + today.month - 1 - months
    if total < 12 or days >= (today - dt.date(1, 1, 1)).days:
        return dt.date(1, 1, 1)
    year, month = divmod(total, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, day) - dt.timedelta(days=days)
        except ValueError:
            continue
    return dt.date(year, month + 1, 28)


def _period_end(as_of: str) -> dt.date | None:
    """The last day an `as_of` may mean: 2023 -> 2023-12-31, 2023-02 -> 2023-02-28."""
    parts = as_of.split("-")
    try:
        if len(parts) == 1:
            return dt.date(int(parts[0]), 12, 31)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date.fromisoformat(as_of)
    except ValueError:
        return None


def stale_facts(facts: FactSet, limit: dt.date | None, stale_text: str) -> list[Diagnostic]:
    """Facts (with a value of their own: derived facts take their inputs' dates) older than the limit."""
    if limit is None:
        return []
    problems = []
    for key, fact in facts.facts.items():
        end = _period_end(fact.as_of) if fact.as_of and not fact.formula else None
        if end is not None and end < limit:
            problems.append(warning("fact-stale", f"fact '{key}' is as of {fact.as_of}, older than the story's "
                                    f"stale_after ({stale_text}: anything before {limit.isoformat()})", fact.location,
                                    "check the figure again: update its value and `as_of`, or change `stale_after:` "
                                    "in index.md"))
    return problems


def status_words(datasets: Mapping[str, Any], words: Mapping[str, str]) -> list[Diagnostic]:
    """A `status`/`statut` column of a story's table (shown in chart tooltips) uses the words the fact
    popovers use, so a reader meets one vocabulary. One problem a column is enough to show it."""
    allowed = set(words.values()) | set(words)
    problems = []
    for data_file in datasets.values():
        if not data_file.path.lower().endswith((".csv", ".tsv")):
            continue
        text = data_file.raw.decode("utf-8-sig", errors="replace")
        reader = csv.reader(io.StringIO(text), delimiter="\t" if data_file.path.lower().endswith(".tsv") else ",")
        try:
            problems.extend(_status_column(reader, allowed, words, data_file.path))
        except csv.Error:
            continue  # the CSV check reported it
    return problems


def _status_column(reader, allowed: set, words: Mapping[str, str], path: str) -> list[Diagnostic]:
    problems = []
    header = next(reader, [])
    position = next((i for i, name in enumerate(header) if name.strip().lower() in STATUS_COLUMNS), None)
    for row in reader if position is not None else ():
        value = row[position].strip() if position < len(row) else ""
        if not value or value in allowed:
            continue
        problems.append(warning("status-word", f"status {value[:40]!r} in column '{header[position]}' is not "
                                "one of the statuses readers are shown", SourceLocation(path, reader.line_num),
                                f"{did_you_mean(value, sorted(set(words.values())))}use one of "
                                f"{', '.join(words.values())} (the words of the fact popovers)"))
        break
    return problems
