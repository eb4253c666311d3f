"""Year-like chart fields get a format that never groups digits, unless the author chose one."""
from broadsheet.charts.numbers import years_never_grouped


def test_a_year_field_is_never_grouped_on_axis_legend_and_tooltip():
    spec = {"layer": [{"encoding": {
        "x": {"field": "year", "type": "quantitative"},
        "color": {"field": "Jahr", "type": "quantitative"},
        "tooltip": [{"field": "annee", "type": "quantitative"}, {"field": "trips", "type": "quantitative"}],
    }}]}
    encoding = years_never_grouped(spec)["layer"][0]["encoding"]
    assert encoding["x"]["axis"] == {"format": "~f", "tickMinStep": 1}
    assert encoding["color"]["legend"] == {"format": "~f"}
    assert encoding["tooltip"][0]["format"] == "~f"
    assert "format" not in encoding["tooltip"][1]  # trips: grouped the language's way


def test_the_authors_choices_stay():
    spec = {"encoding": {
        "x": {"field": "year", "type": "quantitative", "axis": {"format": ".0f"}},
        "y": {"field": "birth_year", "type": "quantitative", "axis": None},
        "text": {"field": "year", "type": "quantitative", "format": "d"},
        "size": {"field": "year", "type": "quantitative", "aggregate": "count"},
        "x2": {"field": "year", "type": "temporal"},
    }}
    assert years_never_grouped(spec) == spec


def test_a_format_set_in_one_layer_is_not_contradicted_in_another():
    """Vega-Lite merges the layers' x axes: a "~f" beside the author's "d" made it warn of a
    conflict (seen with a line + hover-points layer whose first layer formats the year)."""
    import vl_convert

    spec = {"data": {"values": [{"year": 2000 + i, "n": i} for i in range(5)]}, "layer": [
        {"mark": "line", "encoding": {"x": {"field": "year", "type": "quantitative", "axis": {"format": "d"}},
                                      "y": {"field": "n", "type": "quantitative"}}},
        {"mark": "point", "encoding": {"x": {"field": "year", "type": "quantitative"},
                                       "y": {"field": "n", "type": "quantitative"}}},
    ]}
    changed = years_never_grouped(spec)
    assert changed["layer"][1]["encoding"]["x"] == {"field": "year", "type": "quantitative"}
    svg = vl_convert.vegalite_to_svg(changed)
    assert ">2004<" in svg and ">2,004<" not in svg
