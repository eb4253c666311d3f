"""A fast first check of Vega-Lite specs against the schema Altair carries (jsonschema-rs).

Why: Altair checks a chart with the Python `jsonschema` package, a sizeable share of
what running a chart's code costs. jsonschema-rs checks the same spec against the same schema
far faster. It only says yes or no: a spec it refuses is then checked by Altair,
whose message names the property and the values it accepts. So the verdict and the messages
are Altair's; only valid charts, nearly all of them, take the fast road.

Both checks leave `format` keywords alone (Altair's validator has no format checker).
"""
from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

import jsonschema_rs

_VALIDATORS: dict[int, Any] = {}  # id of the root schema -> its validator, made once a process


def is_valid(spec: Any, rootschema: Mapping[str, Any]) -> bool:
    """Whether `spec` is a top-level Vega-Lite spec of `rootschema` (Altair's schema, a dict it
    keeps for the process's life). One validator for every kind of chart (unit, layer, concat...):
    a spec valid as any of them compiles; Altair's check of its own class gives the message."""
    validator = _VALIDATORS.get(id(rootschema))
    if validator is None:
        schema = {"$schema": rootschema.get("$schema", "http://json-schema.org/draft-07/schema#"),
                  "$ref": "#/definitions/TopLevelSpec",
                  "definitions": _with_quoted_refs(rootschema.get("definitions", {}))}
        validator = _VALIDATORS[id(rootschema)] = jsonschema_rs.validator_for(schema, validate_formats=False)
    return validator.is_valid(spec)


def _quoted(ref: str) -> str:
    """A $ref as a URI: Vega-Lite's definition names hold <, >, | and spaces, which jsonschema-rs
    requires percent-encoded (it decodes them when it resolves the pointer, as the standard says)."""
    return urllib.parse.quote(ref, safe="#/")


def _with_quoted_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _quoted(value) if key == "$ref" and isinstance(value, str) else _with_quoted_refs(value)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_with_quoted_refs(value) for value in node]
    return node
