"""Vega-Lite 4's selections, read as the params that replaced them in Vega-Lite 5.

Much of the Vega-Lite on the web (blog posts, notebooks, older gallery copies) still writes
`"selection": {"brush": {"type": "interval"}}` and `{"selection": "brush"}` in its conditions and
filters. Vega-Lite's compiler still draws it (it rewrites it before compiling), but its schema,
and so Altair's check, refuse it, and the rest of the build (the picture's initial state, the
keyboard and no-JavaScript checks) reads `params`. So a `.vl.json` is rewritten the way Vega-Lite
rewrites it, once, when it is read: `single` and `multi` become `point` (`single` without
toggling), `init` becomes `value` (a list, for a point), `empty: "none"` moves to the predicates that test the
selection (`"empty": false`), and every `{"selection": …}` becomes a `{"param": …}`.
"""
from __future__ import annotations

from typing import Any

_LOGICAL = ("and", "or", "not")
# Where a key named "selection" is data (a column of rows), or the author's own: never rewritten.
_NOT_SPEC = frozenset({"data", "datasets", "values", "usermeta"})


def as_params(spec: Any) -> Any:
    """`spec` with Vega-Lite 4's selections written as params; the same object when it has none."""
    empties: dict[str, bool] = {}
    if not _has_selections(spec):
        return spec
    spec = _defined(spec, empties)
    return _tested(spec, empties, "")


def _has_selections(node: Any) -> bool:
    if isinstance(node, dict):
        return "selection" in node or any(_has_selections(v) for k, v in node.items() if k not in _NOT_SPEC)
    if isinstance(node, list):
        return any(_has_selections(value) for value in node)
    return False


def _is_definitions(node: dict) -> bool:
    """A unit view's `selection`: names mapped to definitions, each with a `type`."""
    selection = node.get("selection")
    return ("mark" in node and isinstance(selection, dict) and bool(selection)
            and all(isinstance(d, dict) and "type" in d for d in selection.values()))


def _defined(node: Any, empties: dict[str, bool]) -> Any:
    """Each unit view's selection definitions as params; `empties` learns which select nothing when empty."""
    if isinstance(node, list):
        return [_defined(value, empties) for value in node]
    if not isinstance(node, dict):
        return node
    node = {key: value if key in _NOT_SPEC else _defined(value, empties) for key, value in node.items()}
    if _is_definitions(node):
        params = list(node.get("params") or [])
        for name, definition in node.pop("selection").items():
            select = dict(definition)
            value, bind, empty = select.pop("init", None), select.pop("bind", None), select.pop("empty", None)
            if select.get("type") == "single":
                select.update(type="point", toggle=False)
            elif select.get("type") == "multi":
                select["type"] = "point"
            if select["type"] == "point" and isinstance(value, dict):
                value = [value]  # a point's initial value is a list of them (Vega-Lite takes one alone too)
            empties[name] = empty != "none"
            param = {"name": name, "select": select}
            param.update({key: given for key, given in (("value", value), ("bind", bind)) if given is not None})
            params.append(param)
        node["params"] = params
    return node


def _predicate(selection: Any, empties: dict[str, bool]) -> Any:
    """`"brush"` or `{"and": ["a", "b"]}` (names of selections) as param predicates."""
    if isinstance(selection, str):
        return {"param": selection} if empties.get(selection, True) else {"param": selection, "empty": False}
    if isinstance(selection, dict):
        for operator in _LOGICAL:
            if operator in selection:
                operands = selection[operator]
                return {operator: [_predicate(o, empties) for o in operands] if isinstance(operands, list)
                        else _predicate(operands, empties)}
    return selection


def _tested(node: Any, empties: dict[str, bool], key: str) -> Any:
    """Every test of a selection as a test of its param: in conditions and filters (with the
    selection's emptiness), and in a scale's domain, a bin's extent and a lookup's `from`."""
    if isinstance(node, list):
        return [_tested(value, empties, key) for value in node]
    if not isinstance(node, dict):
        return node
    node = {k: value if k in _NOT_SPEC else _tested(value, empties, k) for k, value in node.items()}
    if "selection" not in node or _is_definitions(node):
        return node
    rest = {k: value for k, value in node.items() if k != "selection"}
    if key in ("domain", "extent", "from") and isinstance(node["selection"], str):
        return {**rest, "param": node["selection"]}
    tested = _predicate(node["selection"], empties)
    if not rest:  # a filter, or an operand of and/or/not
        return tested
    if "param" in tested:  # a condition on one selection
        return {**rest, **tested}
    return {**rest, "test": tested}
