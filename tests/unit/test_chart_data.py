"""Data formats, the column check's knowledge of transforms, and the words of chart messages
(issue 15, items 3, 4, 5 and 9)."""
import json
import subprocess
import sys
from types import MappingProxyType, SimpleNamespace

import pytest

from broadsheet import data
from broadsheet.charts import checks, params, sources
from broadsheet.diagnostics import SourceLocation
from broadsheet.model import Dataset, FactSet

THEME = {"config": {"view": {"continuousWidth": 400}}}
ROWS = (MappingProxyType({"who": "Sama", "rate": 2}), MappingProxyType({"who": "NBC", "rate": 15}))
PAY = Dataset("pay", "data/pay.csv", ("who", "rate"), ROWS, b"who,rate\nSama,2\nNBC,15\n", SourceLocation("data/pay.csv", 1))
CARS_JSON = data.parse_data(b'[{"model": "a", "hp": 90}, {"model": "b", "hp": 120}]', "data/cars.json", "cars.json")[0]
CARS_CSV = data.parse_data(b"name,year\nx,1990\ny,1991\n", "data/cars.csv", "cars.csv")[0]
SALES = data.parse_data(b'{"data": {"rows": [{"q": "Q1", "v": 3}]}}', "data/sales.json", "sales")[0]
DATASETS = {"pay": PAY, "cars.json": CARS_JSON, "cars.csv": CARS_CSV, "sales": SALES}


def vl(spec: dict, datasets=DATASETS):
    spec = {"title": "T", "description": "D", **spec}
    return sources.load_vegalite_chart("t", "charts/t.vl.json", json.dumps(spec, indent=1), datasets, THEME)


# Item 3: data formats ------------------------------------------------------------------------------

def test_tsv_is_read_by_its_extension_and_typed_like_csv():
    dataset, problems = data.parse_data(b"city\ttemp\nLyon\t4.5\nNice\t10\n", "data/w.tsv", "w")
    assert problems == [] and dataset.columns == ("city", "temp")
    assert [dict(row) for row in dataset.rows] == [{"city": "Lyon", "temp": 4.5}, {"city": "Nice", "temp": 10}]


def test_bad_json_and_tsv_are_reported_at_their_line():
    _, problems = data.parse_data(b'[\n {"a": 1},\n {"a": 2},\n]\n', "data/x.json", "x")
    assert [(p.code, p.location.line) for p in problems] == [("data-json", 4)]
    _, problems = data.parse_data(b"a\tb\n1\t2\n3\n", "data/x.tsv", "x")
    assert [(p.code, p.location.line) for p in problems] == [("csv-ragged", 3)]


def test_json_arrays_are_tables_and_other_documents_are_kept_whole():
    numbers, _ = data.parse_data(b"[3, 1, 2]", "data/n.json", "n")
    assert numbers.columns == ("data",) and [row["data"] for row in numbers.rows] == [3, 1, 2]
    assert SALES.rows == () and SALES.document == {"data": {"rows": [{"q": "Q1", "v": 3}]}}
    topo, problems = data.parse_data(b'{"type": "Topology", "objects": {}, "arcs": []}', "data/g.topojson", "g")
    assert problems == [] and topo.document["type"] == "Topology"


def test_a_json_address_reads_the_json_file_even_when_a_csv_shares_its_stem():
    definition, problems = vl({"data": {"url": "data/cars.json"}, "mark": "point",
                               "encoding": {"x": {"field": "hp", "type": "quantitative"}}})
    assert problems == []
    assert definition.vegalite["data"]["values"] == [{"model": "a", "hp": 90}, {"model": "b", "hp": 120}]
    assert definition.datasets_used == ("cars.json",)


def test_a_csv_address_keeps_the_format_so_vega_parses_the_file_as_written():
    fmt = {"parse": {"year": "date"}}
    definition, problems = vl({"data": {"url": "data/cars.csv", "format": fmt}, "mark": "point",
                               "encoding": {"x": {"field": "year", "type": "temporal"}}})
    assert problems == []
    assert definition.vegalite["data"] == {"values": "name,year\nx,1990\ny,1991\n",
                                           "format": {"parse": {"year": "date"}, "type": "csv"}}


def test_json_rows_under_a_property_are_taken_out():
    definition, problems = vl({"data": {"url": "data/sales.json", "format": {"property": "data.rows"}},
                               "mark": "bar", "encoding": {"x": {"field": "q", "type": "nominal"}}})
    assert problems == [] and definition.vegalite["data"] == {"values": [{"q": "Q1", "v": 3}]}


def test_an_unknown_address_lists_the_story_files():
    _, problems = vl({"data": {"url": "data/cars.tsv"}, "mark": "point"})
    assert [p.code for p in problems] == ["chart-data-unknown"]
    assert "cars.csv, cars.json, pay.csv, sales.json" in problems[0].hint


# Item 4: charts as Altair's documentation teaches ------------------------------------------------

def run(source: str, datasets=DATASETS):
    return sources.run_python_chart("c", "charts/c.py", "/nowhere/charts/c.py", source, datasets, FactSet(), THEME)


def test_a_story_table_makes_a_pandas_frame_with_the_same_spec():
    pytest.importorskip("pandas")
    frame = run('import altair as alt\nimport pandas as pd\nTITLE = "T"\nALT = "A"\n'
                'def chart(data, facts):\n    return alt.Chart(pd.DataFrame(data["pay"])).mark_bar().encode(x="rate:Q")\n')
    direct = run('import altair as alt\nTITLE = "T"\nALT = "A"\n'
                 'def chart(data, facts):\n    return alt.Chart(data["pay"]).mark_bar().encode(x="rate:Q")\n')
    assert frame[1] == [] and direct[1] == []
    assert frame[0].vegalite["datasets"] == direct[0].vegalite["datasets"]


def test_alt_data_url_names_a_story_file():
    definition, problems = run('import altair as alt\nTITLE = "T"\nALT = "A"\ndef chart(data, facts):\n'
                               '    return alt.Chart(alt.Data(url="data/cars.json")).mark_point().encode(x="hp:Q")\n')
    assert problems == [] and definition.datasets_used == ("cars.json",)
    assert definition.vegalite["data"]["values"][0] == {"model": "a", "hp": 90}


def test_a_missing_module_names_the_package_to_install():
    _, problems = run('import altair as alt\nimport sklearn_is_not_here.linear\nTITLE = "T"\nALT = "A"\n'
                      'def chart(data, facts):\n    return alt.Chart()\n')
    assert [(p.code, p.location.line) for p in problems] == [("chart-module-missing", 2)]
    assert "pip install sklearn_is_not_here" in problems[0].hint and "fix the chart code" not in problems[0].hint


def test_a_chart_without_pandas_does_not_load_it():
    code = ("import sys\nfrom broadsheet.charts import sources\nfrom broadsheet.model import FactSet\n"
            "d, p = sources.run_python_chart('c', 'c.py', '/x/c.py', 'import altair as alt\\nTITLE = \"T\"\\n"
            "ALT = \"A\"\\ndef chart(data, facts):\\n    return alt.Chart(alt.Data(values=[{\"a\": 1}]))"
            ".mark_bar().encode(x=\"a:Q\")\\n', {}, FactSet(), {})\n"
            "assert p == [], p\nprint('pandas' in sys.modules, 'polars' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr


# Item 5: no false refusals -----------------------------------------------------------------------

def columns_problems(spec: dict) -> list:
    definition, problems = vl({"data": {"values": [{"a": 1, "b": 2, "g": "x"}]}, **spec})
    assert problems == []
    return [p.message for p in checks.check_columns(definition, json.dumps(spec))]


@pytest.mark.parametrize("transform, fields", [
    ({"density": "a"}, ["value", "density"]),
    ({"bin": True, "field": "a", "as": "a_bin"}, ["a_bin", "a_bin_end"]),
    ({"regression": "b", "on": "a"}, ["a", "b"]),
    ({"regression": "b", "on": "a", "params": True}, ["coef", "rSquared"]),
    ({"loess": "b", "on": "a"}, ["a", "b"]),
    ({"quantile": "a"}, ["prob", "value"]),
    ({"fold": ["a", "b"]}, ["key", "value"]),
    ({"window": [{"op": "rank", "as": "r"}]}, ["r"]),
    ({"aggregate": [{"op": "sum", "field": "a", "as": "total"}], "groupby": ["g"]}, ["total"]),
    ({"joinaggregate": [{"op": "mean", "field": "a", "as": "m"}]}, ["m"]),
    ({"timeUnit": "year", "field": "a", "as": "y"}, ["y"]),
    ({"calculate": "datum.a * 2", "as": "twice"}, ["twice"]),
    ({"flatten": ["a"]}, ["a"]),
    ({"impute": "b", "key": "a"}, ["b"]),
    ({"stack": "a", "groupby": ["g"], "as": ["s0", "s1"]}, ["s0", "s1"]),
    ({"pivot": "g", "value": "a"}, ["x"]),
])
def test_fields_transforms_make_by_default_are_known(transform, fields):
    encoding = {channel: {"field": field, "type": "quantitative"} for channel, field in zip(("x", "y"), fields)}
    assert columns_problems({"transform": [transform], "mark": "point", "encoding": encoding}) == []
    wrong = {"x": {"field": "nowhere", "type": "quantitative"}}
    if "pivot" not in transform:  # a pivot's columns are the data's values: the check cannot know them
        assert columns_problems({"transform": [transform], "mark": "point", "encoding": wrong})


def test_plain_number_values_have_the_field_data():
    definition, problems = vl({"data": {"values": [1, 2, 3]}, "mark": "tick",
                               "encoding": {"x": {"field": "data", "type": "quantitative"}}})
    assert problems == [] and checks.check_columns(definition, "") == []


def test_a_regression_params_key_is_not_a_parameter_list():
    spec = {"transform": [{"regression": "b", "on": "a", "params": True}], "params": [{"name": "p", "value": 1,
            "bind": {"input": "range", "min": 0, "max": 2}}]}
    assert params.bound_params(spec) == ("p",) and params.binding_lines(spec) == 1


def test_a_title_given_as_lines_is_a_title():
    definition, problems = vl({"title": ["First line", "second"], "data": {"values": [{"a": 1}]}, "mark": "point"})
    assert problems == [] and definition.title == "First line second"
    definition, problems = run('import altair as alt\nTITLE = ["One", "two"]\nALT = "A"\ndef chart(data, facts):\n'
                               '    return alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q")\n')
    assert problems == [] and definition.title == "One two"


def test_the_schema_that_checks_specs_is_the_release_vl_convert_compiles():
    """Altair's schema copy and the compiler agree: specs are compiled with Altair's Vega-Lite
    release, and vl-convert carries it; a vl-convert with a newer release than the schema knows
    fails here, before a valid spec is refused."""
    import altair as alt
    import vl_convert

    release = ".".join(sources.vegalite_version().split(".")[:2])
    carried = vl_convert.get_vegalite_versions()
    assert release in carried
    newest = max(carried, key=lambda v: tuple(map(int, v.split("."))))
    assert tuple(map(int, release.split("."))) >= tuple(map(int, newest.split(".")))
    assert alt.SCHEMA_VERSION.lstrip("v").startswith(release)


# Item 9: messages --------------------------------------------------------------------------------

def test_too_heavy_hints_in_the_language_of_the_chart():
    definition = SimpleNamespace(large={}, datasets_used=())
    for path, wanted, unwanted in (("charts/t.vl.json", '"bin": true', "alt.X("), ("charts/t.py", "alt.X(", '"bin"')):
        job = SimpleNamespace(text="", rel_path=path, chart_id="t")
        [problem] = checks.too_heavy(job, definition, 10 ** 6, 0)
        assert wanted in problem.hint and unwanted not in problem.hint


def test_too_heavy_map_hints_at_its_shapes_not_at_binning():
    """A US counties choropleth (Vega-Lite gallery's geo_choropleth) draws a picture over budget:
    binning rows would not lighten it, so the hint speaks of the shapes."""
    topology = {"type": "Topology", "objects": {"counties": {"type": "GeometryCollection", "geometries": []}},
                "arcs": []}
    spec = {"data": {"values": topology, "format": {"type": "topojson", "feature": "counties"}}, "mark": "geoshape"}
    job = SimpleNamespace(text="", rel_path="charts/map.vl.json", chart_id="map")
    [problem] = checks.too_heavy(job, SimpleNamespace(large={}, datasets_used=(), vegalite=spec), 0, 55 * 1024)
    assert "counties" in problem.hint and '"bin"' not in problem.hint
    [rows] = checks.too_heavy(job, SimpleNamespace(large={}, datasets_used=(), vegalite=spec), 10 ** 6, 0)
    assert '"bin": true' in rows.hint  # too many rows drawn: aggregating is still the way


def test_a_table_whose_values_a_param_computes_shows_them_as_the_chart_first_draws_them():
    """The guide's calculator: the rent row holds 0 and a calculate draws the slider's rent; the
    reader's table and CSV said the rent was 0."""
    from broadsheet.charts import drawing, tables

    rows = [{"item": "Pay", "fixed": 2100, "kind": "pay"}, {"item": "Rent", "fixed": 0, "kind": "rent"}]
    spec = {"data": {"name": "d"}, "datasets": {"d": rows}, "mark": "bar",
            "params": [{"name": "rent", "value": 1200, "bind": {"input": "range", "min": 300, "max": 2000}}],
            "transform": [{"calculate": "datum.kind === 'rent' ? rent : datum.fixed", "as": "amount"}],
            "encoding": {"x": {"field": "amount", "type": "quantitative", "title": "Dollars"},
                         "y": {"field": "item", "type": "nominal", "title": "What"}}}
    shown = tables.params_values(spec, rows, drawing.evaluated_rows)
    assert shown == [{"amount": 2100, "item": "Pay"}, {"amount": 1200, "item": "Rent"}]
    assert tables.params_values({**spec, "params": []}, rows, drawing.evaluated_rows) is rows  # nothing computed
    plain = {**spec, "transform": [{"calculate": "datum.fixed * 2", "as": "amount"}]}
    assert tables.params_values(plain, rows, drawing.evaluated_rows) is rows  # no param read: the rows as written
