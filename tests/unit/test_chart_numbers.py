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
