"""The one way through a chart spec: every check and rewrite that looks inside a Vega-Lite or
Vega spec walks it here, instead of each writing its own recursion.

Vega-Lite nests views anywhere (layers, concats, facets, repeats), so its walks visit every
object (`nodes`, `rebuild`). Vega declares data and marks only at the top and in group marks, so
its walks visit those scopes alone (`scopes`, `map_scopes`) and never the rows themselves.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def nodes(spec: Any, skip: frozenset[str] | set[str] = frozenset()) -> Iterator[dict]:
    """Every object of a spec, parents before children, in document order; the values under the
    keys in `skip` are not entered (rows, or a part the caller reads itself)."""
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed([value for key, value in node.items()
                                   if key not in skip and isinstance(value, (dict, list))]))
        elif isinstance(node, list):
            stack.extend(reversed([value for value in node if isinstance(value, (dict, list))]))


def rebuild(spec: Any, change: Callable[[dict], dict]) -> Any:
    """The spec rebuilt bottom-up: each object, its children already rebuilt, passed through
    `change` (which may return it as it is, or another object)."""
    if isinstance(spec, dict):
        return change({key: rebuild(value, change) for key, value in spec.items()})
    if isinstance(spec, list):
        return [rebuild(value, change) for value in spec]
    return spec


def scopes(vega: Any) -> Iterator[dict]:
    """A Vega spec's scopes: the spec itself, then every mark, parents first (group marks hold
    data and marks of their own)."""
    stack = [vega]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            marks = node.get("marks")
            if isinstance(marks, list):
                stack.extend(reversed(marks))


def map_scopes(vega: Any, change: Callable[[dict], dict]) -> Any:
    """The Vega spec with each scope passed through `change`, which receives a copy it may alter;
    only the containers on the way are copied, never the rows."""
    if not isinstance(vega, dict):
        return vega
    out = change(dict(vega))
    if isinstance(out.get("marks"), list):
        out["marks"] = [map_scopes(mark, change) for mark in out["marks"]]
    return out
