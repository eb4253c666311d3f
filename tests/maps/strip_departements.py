"""Make tests/maps/departements-2017.topojson from the file it was taken from (see departements-SOURCE.md).

    python tests/maps/strip_departements.py ORIGINAL.topojson tests/maps/departements-2017.topojson

The geometry (arcs, transform) is kept byte for byte; the object is renamed "departements" and each
département keeps only what a map needs: its INSEE code as the shape's "id" ("01", "2A") and its
name as `properties.nom` (as IGN writes it: capitals, no accents). IGN's row id and region code go.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def stripped(original: dict) -> dict:
    (collection,) = original["objects"].values()
    geometries = [{"type": g["type"], "arcs": g["arcs"], "id": g["properties"]["INSEE_DEP"],
                   "properties": {"nom": g["properties"]["NOM_DEP"]}} for g in collection["geometries"]]
    return {"type": "Topology", "transform": original["transform"],
            "objects": {"departements": {"type": "GeometryCollection", "geometries": geometries}},
            "arcs": original["arcs"]}


if __name__ == "__main__":
    source, target = map(Path, sys.argv[1:3])
    text = json.dumps(stripped(json.loads(source.read_text())), separators=(",", ":"), ensure_ascii=False)
    target.write_text(text + "\n", encoding="utf-8")
