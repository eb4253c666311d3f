"""The fast schema check gives Altair's verdict: every spec Altair accepts passes it, and a spec
it lets through is one Altair accepts (otherwise an invalid chart would go unreported)."""
import copy

import altair as alt
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from jsonschema import ValidationError

from broadsheet.charts import schema

DATA = alt.Data(values=[{"year": 2021, "pay": 15.0, "who": "a"}, {"year": 2022, "pay": 16.5, "who": "b"},
                        {"year": 2023, "pay": 18.0, "who": "c"}])


def _charts():
    base = alt.Chart(DATA)
    bars = base.mark_bar(color="#b3261e").encode(x="year:O", y=alt.Y("pay:Q", title="$ / h"), tooltip=["who:N"])
    rule = base.mark_rule().encode(y="mean(pay):Q")
    slider = alt.param(name="cut", value=16, bind=alt.binding_range(min=10, max=20, step=1))
    return {
        "unit": bars,
        "layer": bars + rule,
        "hconcat": bars | rule,
        "facet": base.mark_point().encode(x="year:O", y="pay:Q").facet("who:N"),
        "params": base.mark_bar().encode(x="year:O", y="pay:Q").add_params(slider).transform_filter(
            alt.datum.pay <= slider),
    }


def _altair_accepts(spec, chart_class) -> bool:
    try:
        alt.utils.schemapi.validate_jsonschema(spec, chart_class._schema, rootschema=chart_class._rootschema)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(_charts()))
def test_altair_charts_pass(name):
    chart = _charts()[name]
    spec = chart.to_dict(validate=False)
    assert schema.is_valid(spec, type(chart)._rootschema)


@pytest.mark.parametrize("path, value", [
    (("mark", "colour"), "red"),  # a misspelt property
    (("mark", "type"), "bars"),  # a mark that does not exist
    (("encoding", "x", "type"), "quantitive"),
    (("encoding", "y", "aggregate"), "meanest"),
    (("width",), "wide"),
    (("encoding", "colour"), {"field": "who", "type": "nominal"}),
])
def test_refuses_what_altair_refuses(path, value):
    chart = _charts()["unit"]
    spec = chart.to_dict(validate=False)
    node = spec
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert not _altair_accepts(spec, alt.Chart)
    assert not schema.is_valid(spec, alt.Chart._rootschema)


_VALUES = st.sampled_from([None, 0, -1, 2.5, "", "x", "quantitative", "bar", True, [], {}, ["a"], {"field": "pay"}])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(_charts())), pick=st.integers(min_value=0), value=_VALUES,
       new_key=st.sampled_from([None, "type", "colour", "field", "bin", "title"]))
def test_same_verdict_as_altair_on_altered_specs(name, pick, value, new_key):
    chart = _charts()[name]
    spec = chart.to_dict(validate=False)
    places = []  # every (container, key) of the spec, values to replace

    def walk(node):
        if isinstance(node, dict):
            for key, child in node.items():
                if key not in ("datasets", "$schema"):
                    places.append((node, key))
                    walk(child)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                places.append((node, index))
                walk(child)

    altered = copy.deepcopy(spec)
    walk(altered)
    container, key = places[pick % len(places)]
    if new_key is not None and isinstance(container, dict):
        container[new_key] = value
    else:
        container[key] = value
    cls = type(chart)
    assert schema.is_valid(altered, cls._rootschema) == _altair_accepts(altered, cls)
