"""Charts drawn per layout, the narrow chart as a merge patch, dark colours, input lines."""
from __future__ import annotations

from broadsheet.charts import compiler, drawing, layouts, params, sources
from broadsheet.model import FactSet


def test_merge_patch_round_trips_and_holds_only_the_difference():
    wide = {"width": 660, "data": [{"name": "d", "values": [1, 2]}], "autosize": {"type": "fit-x"}, "gone": 1}
    narrow = {"width": 340, "data": [{"name": "d", "values": [1, 2]}], "autosize": {"type": "fit-x"}}
    patch = compiler.merge_patch(wide, narrow)
    assert patch == {"width": 340, "gone": None}
    assert compiler.apply_merge_patch(wide, patch) == narrow


def test_a_chart_without_a_width_is_fitted_to_the_layout_and_a_concat_is_left_alone():
    layout = layouts.ChartLayout("narrow", 340)
    fitted = layouts.fit_to_layout({"mark": "bar"}, layout)
    assert fitted["width"] == 340 and fitted["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert layouts.fit_to_layout({"mark": "bar", "width": 200}, layout) == {"mark": "bar", "width": 200}
    assert "width" not in layouts.fit_to_layout({"vconcat": [{"mark": "bar"}]}, layout)
    row = {"mark": "bar", "encoding": {"x": {"field": "a"}, "row": {"field": "b"}}}
    assert layouts.fit_to_layout(row, layout) == row  # a facet by encoding is compound too
    layered = {"layer": [{"mark": "bar", "encoding": {"column": {"field": "b"}}}]}
    assert layouts.fit_to_layout(layered, layout) == layered


def test_a_chart_that_places_its_legend_keeps_its_own_size():
    """legendX/legendY were chosen for the chart's own size (as in Vega-Lite's pyramid pie): fitted
    to the column, the chart would grow under its legend. Any channel, a layer's, or the config."""
    layout = layouts.ChartLayout("wide", 640)
    placed = {"mark": "arc", "encoding": {"theta": {"field": "v"},
                                          "color": {"field": "c", "legend": {"orient": "none", "legendX": 200}}}}
    assert layouts.placed_legend(placed) == "color" and layouts.fit_to_layout(placed, layout) == placed
    layered = {"layer": [{"mark": "bar"}, {"mark": "point", "encoding": {"shape": {"field": "s",
                                                                                   "legend": {"legendY": 4}}}}]}
    assert layouts.placed_legend(layered) == "shape" and layouts.fit_to_layout(layered, layout) == layered
    configured = {"mark": "bar", "config": {"legend": {"orient": "none", "legendX": 10, "legendY": 10}}}
    assert layouts.placed_legend(configured) == "config.legend"
    for free in ({"mark": "arc", "encoding": {"color": {"field": "c", "legend": {"orient": "bottom"}}}},
                 {"mark": "arc", "encoding": {"color": {"field": "c", "legend": None}}},
                 {"mark": "arc", "encoding": {"color": {"value": "red"}}}, {"mark": "bar", "encoding": None}):
        assert layouts.placed_legend(free) == "" and layouts.fit_to_layout(free, layout)["width"] == 640


def test_theme_layouts_fall_back_to_defaults_for_bad_values():
    assert [l.width for l in layouts.theme_layouts({"layouts": {"wide": 700, "narrow": 320}})] == [700, 320]
    assert [l.width for l in layouts.theme_layouts({"layouts": {"wide": "big", "narrow": True}})] == [640, 340]
    assert layouts.theme_layouts({})[1].narrow


def test_input_lines_count_a_radio_group_as_its_name_plus_one_line_a_choice():
    spec = {"params": [{"name": "s", "bind": {"input": "range"}},
                       {"name": "r", "bind": {"input": "radio", "options": [None, "a", "b"]}},
                       {"name": "l", "bind": "legend"}],
            "layer": [{"params": [{"name": "s", "bind": {"input": "range"}}]}]}
    assert params.binding_lines(spec) == 1 + 4
    assert params.bound_params(spec) == ("s", "r")
    assert params.legend_only_params(spec) == ("l",)


def test_dark_rules_recolour_attributes_and_only_colours_are_taken_from_the_theme():
    rules = drawing.dark_rules({"#ffffff": "#16171a"}, ".x ")
    assert '.x [fill="#ffffff" i]{fill:#16171a}' in rules and '.x [stroke="#ffffff" i]{stroke:#16171a}' in rules
    assert drawing.dark_colors({"dark": {"#FFF": "#000", "bad": "url(x)", "#12": 3}}) == {"#fff": "#000"}


CHART = '''
import altair as alt
TITLE = "t"
ALT = "a"
def chart(data, facts{extra}):
    return alt.Chart(alt.Data(values=[{{"a": "x", "b": 1}}])).mark_bar().encode(
        x=alt.X("b", type="quantitative"), y=alt.Y("a", type="nominal"))
'''


def _run(tmp_path, source: str, layout):
    path = tmp_path / "c.py"
    path.write_text(source)
    definition, problems = sources.run_python_chart("c", "charts/c.py", str(path), source, {},
                                                   FactSet(path="facts.yaml"), {}, layout)
    assert problems == []
    return definition


def test_a_chart_blind_to_its_layout_is_not_run_again_for_the_narrow_one(tmp_path):
    """for_layout gives exactly what running the code again would: only the fitted width moves."""
    wide, narrow = layouts.DEFAULT_LAYOUTS
    blind = _run(tmp_path, CHART.format(extra=""), wide)
    assert not blind.adapts and blind.fitted
    assert sources.for_layout(blind, narrow) == _run(tmp_path, CHART.format(extra=""), narrow)
    adapting = _run(tmp_path, CHART.format(extra=", layout"), wide)
    assert adapting.adapts


def test_voronoi_tooltips_read_the_point_once():
    """Text fields of a nearest-selection tooltip read the point under the cell (`datum.datum`),
    like its numbers already do; marks that are not Voronoi cells are left as they are."""
    from broadsheet.charts.compiler import nearest_tooltips_read_the_point

    signal = '{"Who": isValid(datum["who"]) ? datum["who"] : ""+datum["who"], "Pay": format(datum.datum["pay"], "")}'
    cells = {"type": "path", "transform": [{"type": "voronoi"}], "encode": {"update": {"tooltip": {"signal": signal}}}}
    points = {"type": "symbol", "encode": {"update": {"tooltip": {"signal": signal}}}}
    fixed = nearest_tooltips_read_the_point({"marks": [{"type": "group", "marks": [cells, points]}]})
    group = fixed["marks"][0]["marks"]
    assert group[0]["encode"]["update"]["tooltip"]["signal"] == (
        '{"Who": isValid(datum.datum["who"]) ? datum.datum["who"] : ""+datum.datum["who"], '
        '"Pay": format(datum.datum["pay"], "")}')
    assert group[1] == points
    assert nearest_tooltips_read_the_point(fixed) == fixed
