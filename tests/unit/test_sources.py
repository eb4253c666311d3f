from types import MappingProxyType

from broadsheet.charts import checks, large_tables, params, sources
from broadsheet.charts import tables as reader_tables
from broadsheet.diagnostics import SourceLocation
from broadsheet.model import Dataset, FactSet

ROWS = (MappingProxyType({"who": "Sama", "rate": 2}), MappingProxyType({"who": "NBC", "rate": 15}))
DATASETS = {"pay": Dataset("pay", "data/pay.csv", ("who", "rate"), ROWS, b"who,rate\nSama,2\nNBC,15\n",
                           SourceLocation("data/pay.csv", 1))}
THEME = {"config": {"font": "Test Sans", "view": {"continuousWidth": 400}}}
CHART = '''import altair as alt

TITLE = "Salaires"
ALT = "Deux barres."


def chart(data, facts):
    return alt.Chart(data["pay"], height=100).mark_bar().encode(
        x=alt.X("rate", type="quantitative"),
        y=alt.Y("who", type="nominal"),
    )
'''


def run(source: str):
    return sources.run_python_chart("pay", "charts/pay.py", "/nowhere/charts/pay.py", source, DATASETS, FactSet(), THEME)


def test_chart_becomes_themed_vegalite_with_its_words():
    definition, problems = run(CHART)
    assert problems == []
    assert definition.title == "Salaires" and definition.alt == "Deux barres."
    assert definition.vegalite["config"]["font"] == "Test Sans"
    assert "$schema" not in definition.vegalite
    assert checks.check_columns(definition, CHART) == []


def test_missing_column_is_found_at_its_line():
    source = CHART.replace('alt.X("rate"', 'alt.X("wage"')
    definition, problems = run(source)
    assert problems == []
    found = checks.check_columns(definition, source)
    assert [(p.code, p.location.line) for p in found] == [("chart-column-missing", 9)]


def test_exception_points_at_the_chart_line():
    source = CHART.replace("    return alt", "    1 / 0\n    return alt")
    _, problems = run(source)
    assert [(p.code, p.location.line) for p in problems] == [("chart-exception", 8)]


def test_tables_map_back_to_the_csv_for_download():
    definition, _ = run(CHART)
    tables = reader_tables.data_tables(definition, DATASETS)
    assert [(t.name, t.csv) for t in tables] == [("pay", DATASETS["pay"].raw)]


def test_vegalite_file_inlines_story_csv_and_reads_its_metadata():
    text = ('{"title": "T", "description": "D", "usermeta": {"source": "S"}, "data": {"url": "data/pay.csv"},'
            ' "mark": "bar", "encoding": {"x": {"field": "rate", "type": "quantitative"}}}')
    definition, problems = sources.load_vegalite_chart("t", "charts/t.vl.json", text, DATASETS, THEME)
    assert problems == []
    # The file's text with its format: Vega reads it as it would read the file (its own typing, `parse`).
    assert definition.vegalite["data"] == {"values": "who,rate\nSama,2\nNBC,15\n", "format": {"type": "csv"}}
    assert definition.datasets_used == ("pay",)
    assert (definition.title, definition.alt, definition.source) == ("T", "D", "S")


def test_vegalite_file_cannot_point_outside_the_story():
    text = '{"title": "T", "description": "D", "data": {"url": "../../secret.csv"}, "mark": "bar"}'
    _, problems = sources.load_vegalite_chart("t", "charts/t.vl.json", text, DATASETS, THEME)
    assert problems[0].code == "chart-data-unknown"


def test_bound_params_are_listed():
    spec = {"params": [{"name": "wage", "value": 1, "bind": {"input": "range"}}, {"name": "hover", "select": "point"}],
            "layer": [{"params": [{"name": "n", "bind": {"input": "range"}}]}]}
    assert params.bound_params(spec) == ("wage", "n")


def test_rows_a_chart_makes_itself_become_a_named_table_when_many():
    rows = [{"k": i % 3, "v": i} for i in range(large_tables.INLINE_ROWS + 1)]
    spec = {"datasets": {"data-abc": rows, "data-small": rows[:3]}, "data": {"name": "data-abc"},
            "layer": [{"data": {"values": rows, "format": {"parse": {"v": "number"}}}, "mark": "point"}]}
    hoisted, large = sources.hoist_large_tables(spec, "nuage", "charts/nuage.py")
    assert hoisted["datasets"] == {"data-small": rows[:3]}
    assert hoisted["layer"][0]["data"] == {"name": "rows_2", "format": {"parse": {"v": "number"}}}
    assert sorted(large) == ["data-abc", "rows_2"]
    assert large["data-abc"].columns == ("k", "v") and len(large["data-abc"].rows) == len(rows)
    assert large["data-abc"].raw == b""  # rows of the chart's own, not a story CSV


def test_story_rows_reach_the_spec_as_altair_puts_inline_rows():
    """`data['pay']` is a reference Altair copies cheaply, yet the spec is the one the same chart
    over `alt.InlineData` of the rows gives: the rows in `datasets`, under Altair's own name."""
    inline = CHART.replace('alt.Chart(data["pay"], height=100)',
                           'alt.Chart(alt.InlineData(values=[dict(r) for r in data["pay"].values]), height=100)')
    layered = CHART.replace("    return alt.Chart", "    base = alt.Chart").replace(
        "    )\n", "    )\n    return base + base.mark_text()\n")
    layered_inline = inline.replace("    return alt.Chart", "    base = alt.Chart").replace(
        "    )\n", "    )\n    return base + base.mark_text()\n")
    for by_reference, by_rows in ((CHART, inline), (layered, layered_inline)):
        (ours, problems), (altairs, more) = run(by_reference), run(by_rows)
        assert problems == [] and more == []
        assert ours.vegalite == altairs.vegalite
        assert list(ours.vegalite["datasets"].values()) == [[dict(row) for row in ROWS]]


def test_what_is_not_an_exception_is_chart_crashed_at_its_line():
    """In this process too: SystemExit and friends, and an exception whose message fails, come back
    as diagnostics (the build runs chart code in a sandbox, which contains the rest)."""
    cases = {"raise SystemExit(2)": "tried to stop the build: it raised SystemExit: 2",
             "raise KeyboardInterrupt": "tried to stop the build: it raised KeyboardInterrupt",
             "raise GeneratorExit": "tried to stop the build: it raised GeneratorExit",
             "raise BaseException('x')": "tried to stop the build: it raised BaseException: x"}
    for statement, message in cases.items():
        definition, problems = run(CHART.replace("def chart(data, facts):\n", f"def chart(data, facts):\n    {statement}\n"))
        assert definition is None
        assert [(p.code, p.location.line, p.message) for p in problems] == [("chart-crashed", 8, f"chart 'pay' {message}")]
    odd = "class Odd(Exception):\n    def __str__(self):\n        raise ValueError\n\n\n"
    _, problems = run(odd + CHART.replace("def chart(data, facts):\n", "def chart(data, facts):\n    raise Odd()\n"))
    assert [(p.code, p.message) for p in problems] == [
        ("chart-crashed", "chart 'pay' raised Odd, whose message cannot be shown (its __str__ raised ValueError)")]


def test_memory_error_is_chart_memory():
    _, problems = run(CHART.replace("def chart(data, facts):\n", "def chart(data, facts):\n    raise MemoryError\n"))
    assert [(p.code, p.location.line, p.message) for p in problems] == [
        ("chart-memory", 8, "chart 'pay' ran out of memory (MemoryError)")]


def test_sources_that_are_not_a_list_of_keys_name_the_variable_at_its_line():
    """Issue 15 item 9: whatever SOURCES holds besides source keys, the message names SOURCES and
    what it holds, at the line that sets it (line 5: after TITLE and ALT)."""
    for value, said in (('"semianalysis"', "the text 'semianalysis', not a list"),
                        ('{"semianalysis": 1}', "a dict, not a list"),
                        ('["nbc", 3]', "int '3' among its items")):
        source = CHART.replace('ALT = "Deux barres."\n', f'ALT = "Deux barres."\nSOURCES = {value}\n')
        _, problems = run(source)
        assert [(p.code, p.location.line) for p in problems] == [("chart-meta-type", 5)], value
        assert problems[0].message == f"SOURCES in chart 'pay' must be a list of source keys, but it holds {said}"
        assert problems[0].hint.startswith("write SOURCES = [")


def test_a_vegalite_subtitle_is_the_caption():
    """Found by a newcomer: `{"text": …, "subtitle": "February 2024"}` lost its subtitle (neither
    in the page nor in the picture)."""
    body = ', "description": "D", "data": {"url": "data/pay.csv"}, "mark": "bar"}'
    text = '{"title": {"text": "T", "subtitle": ["In dollars", "per hour"]}' + body
    definition, problems = sources.load_vegalite_chart("t", "charts/t.vl.json", text, DATASETS, THEME)
    assert problems == [] and (definition.title, definition.caption) == ("T", "In dollars per hour")
    text = '{"title": {"text": "T", "subtitle": "In dollars."}, "usermeta": {"caption": "Hover."}' + body
    definition, _ = sources.load_vegalite_chart("t", "charts/t.vl.json", text, DATASETS, THEME)
    assert definition.caption == "In dollars. Hover."


def test_an_altair_chart_titled_as_the_gallery_titles_needs_no_TITLE():
    """Found by a newcomer: `.properties(title=alt.Title("…", subtitle="…"))`, as Altair's gallery
    writes it, was refused with "has no title"; its subtitle is the caption."""
    source = CHART.replace('TITLE = "Salaires"\n', "").replace(
        "    )\n", '    ).properties(title=alt.Title("Pay by firm", subtitle="Dollars per hour"))\n')
    definition, problems = run(source)
    assert problems == [], problems
    assert (definition.title, definition.caption) == ("Pay by firm", "Dollars per hour")
    definition, _ = run(CHART.replace("    )\n", '    ).properties(title="Ignored, TITLE wins")\n'))
    assert (definition.title, definition.caption) == ("Salaires", "")


def test_a_file_read_by_its_path_is_told_to_come_from_data():
    """pd.read_csv("data/rents.csv"), copied from a notebook: the hint names the table's way in."""
    from broadsheet.charts import sources as chart_sources

    problem = chart_sources.code_failed(FileNotFoundError(2, "No such file or directory", "data/rents.csv"),
                                        "rents", "charts/rents.py", "/x/charts/rents.py")
    assert problem.code == "chart-exception" and 'pd.DataFrame(data["rents"])' in problem.hint
    assert chart_sources.code_failed(ValueError("no"), "c", "p", "/p").hint == "fix the chart code at this line"
