"""Corrections enforced: a story's facts against what was published before (its `facts.json` in the
published site), so that a number readers have seen never changes, or disappears, in silence.

A changed or removed fact is a warning (an error under `--strict`, as CI builds) unless an entry
of the front matter's `updates:` names it (`facts: [key]`). Then the page shows the correction at
the number and the ledger keeps the value it replaces: each build folds the published history
forward, so the history lives as long as the published site does. No published facts.json (a
first build) compares nothing.
"""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

from .diagnostics import Diagnostic, SourceLocation, warning
from .model import Story, frozen_mapping

MAX_LEDGER_BYTES = 20_000_000  # a published facts.json larger than this is not read (corrections unchecked)


def published(folder: Path | None, slug: str) -> tuple[dict | None, list[Diagnostic]]:
    """The facts of `slug` as published in `folder`, or None when it has none (a first build)."""
    path = folder / slug / "facts.json" if folder is not None else None
    if path is None or not path.is_file():
        return None, []
    try:
        if path.stat().st_size > MAX_LEDGER_BYTES:
            raise ValueError("too large")
        document = json.loads(path.read_bytes())
        facts = document["facts"]
        if not isinstance(facts, dict):
            raise ValueError("no facts")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, [warning("published-unreadable", f"the published ledger {path} cannot be read ({exc}): "
                              "changed facts are not checked against it", SourceLocation(str(path)),
                              "rebuild the published site, or point --published at a copy of it")]
    return facts, []


def _same(old, new) -> bool:
    if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
        return old == new
    return math.isclose(old, new, rel_tol=1e-12, abs_tol=1e-12)


def apply(story: Story, facts_before: dict | None, printed) -> tuple[Story, list[Diagnostic]]:
    """(the story with its corrections, the changes no update names). `printed(value, unit)`
    formats a value as the page does."""
    if not facts_before:
        return story, []
    named: dict[str, object] = {}
    for update in sorted(story.updates, key=lambda u: u.date):  # the latest update naming a fact wins
        for key in update.facts:
            named[key] = update
    problems: list[Diagnostic] = []
    history: dict[str, tuple] = {}
    for key, before in sorted(facts_before.items()):
        if not isinstance(before, dict):
            continue
        earlier = tuple(entry for entry in before.get("history") or () if isinstance(entry, dict))
        fact = story.facts.facts.get(key)
        now = fact.value if fact is not None else None
        if before.get("removed") and fact is None:  # removed by an earlier, announced, correction
            history[key] = earlier
            continue
        if fact is not None and _same(before.get("value"), now):
            if earlier:
                history[key] = earlier
            continue
        update = named.get(key)
        if update is None:
            problems.append(_unannounced(story, key, before, fact, printed))
            continue
        history[key] = earlier + ({"value": before.get("value"), "printed": before.get("printed", ""),
                                   "until": update.date, "note": update.note},)
    return replace(story, corrections=frozen_mapping(history)), problems


def _unannounced(story: Story, key: str, before: dict, fact, printed) -> Diagnostic:
    was = before.get("printed") or str(before.get("value"))
    hint = (f"if this is a correction, add to {story.path}/index.md an entry under `updates:` with a date, a note "
            f"and `facts: [{key}]`; readers then see the correction at the number")
    if fact is None or fact.value is None:
        where = SourceLocation(story.facts.path or f"{story.path}/facts.yaml", 1)
        return warning("fact-removed", f"fact '{key}' was published as {was} and is gone from the story", where, hint)
    return warning("fact-changed", f"fact '{key}' was published as {was} and is now "
                   f"{printed(fact.value, fact.unit)}", fact.location, hint)
