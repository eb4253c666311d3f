"""The one spec walker: every object of a Vega-Lite spec in document order; Vega's scopes only."""
from broadsheet.charts import walk

SPEC = {"a": {"b": [{"c": 1}, {"d": {"e": 2}}]}, "data": {"values": [{"row": 1}]}}


def test_nodes_parents_first_in_document_order_and_skips():
    assert [sorted(n) for n in walk.nodes(SPEC)] == [["a", "data"], ["b"], ["c"], ["d"], ["e"], ["values"], ["row"]]
    assert [sorted(n) for n in walk.nodes(SPEC, skip={"data"})] == [["a", "data"], ["b"], ["c"], ["d"], ["e"]]


def test_rebuild_is_bottom_up_and_leaves_the_input_alone():
    seen = []
    out = walk.rebuild(SPEC, lambda node: seen.append(sorted(node)) or {**node, "n": len(seen)})
    assert seen[-1] == ["a", "data"] and out["n"] == len(seen)
    assert "n" not in SPEC


def test_vega_scopes_are_the_spec_and_its_marks_never_the_rows():
    vega = {"data": [{"name": "t", "values": [{"marks": "not a mark"}]}],
            "marks": [{"type": "group", "name": "g", "marks": [{"type": "rect", "name": "r"}]}, {"name": "s"}]}
    assert [scope.get("name") for scope in walk.scopes(vega)] == [None, "g", "r", "s"]
    renamed = walk.map_scopes(vega, lambda scope: {**scope, "seen": True})
    assert all(scope["seen"] for scope in walk.scopes(renamed))
    assert "seen" not in vega and renamed["data"] is vega["data"]
