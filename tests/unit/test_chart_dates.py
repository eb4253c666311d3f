"""Dates read as text: a temporal field written otherwise than ISO, and a nominal axis that sorts
dates as text, are warnings that name the field and the fix."""
from functools import partial

from broadsheet.charts import dates, drawing
from broadsheet.charts.sources import ChartDefinition

check_dates = partial(dates.check_dates, unparsed=drawing.unparsed_dates)


def definition(spec):
    return ChartDefinition("spend", "content/s/charts/spend.vl.json", spec, "T", "A", "", "", ())


def chart(dates, kind="temporal", **extra):
    return {"data": {"values": [{"day": d, "v": i} for i, d in enumerate(dates)], **extra},
            "mark": "line", "encoding": {"x": {"field": "day", "type": kind}, "y": {"field": "v", "type": "quantitative"}}}


SOURCE = '{\n "data": {},\n "encoding": {"x": {"field": "day"}}\n}'


def test_iso_dates_on_a_time_axis_say_nothing():
    assert check_dates(definition(chart(["2021-01-05", "2021-02-05T10:00:00", "2021-03"])), SOURCE) == []


def test_day_first_dates_on_a_time_axis_are_named_with_the_fix():
    (problem,) = check_dates(definition(chart(["31/12/2021", "30/12/2021", "01/01/2022", "2022-01-02"])), SOURCE)
    assert problem.code == "chart-dates" and problem.location.line == 3
    assert "column 'day'" in problem.message and "2 of its values" in problem.message and "'31/12/2021'" in problem.message
    assert "\"parse\": {\"day\": \"date:'%d/%m/%Y'\"}" in problem.hint


def test_dates_javascript_reads_say_nothing():
    """`Jan 1 2000`, as Vega-Lite's own example data writes its dates: every browser reads it."""
    assert check_dates(definition(chart(["Jan 1 2000", "Feb 1 2000", "2000-03-01"])), SOURCE) == []


def test_dates_that_do_not_parse_at_all_are_named():
    (problem,) = check_dates(definition(chart(["soon", "later"])), SOURCE)
    assert "'soon'" in problem.message


def test_a_stated_parse_is_the_authors_own():
    spec = chart(["31/12/2021", "01/01/2022"], format={"parse": {"day": "date:'%d/%m/%Y'"}})
    assert check_dates(definition(spec), SOURCE) == []


def test_a_nominal_axis_sorting_dates_as_text_is_named():
    (problem,) = check_dates(definition(chart(["12/01/2021", "01/02/2022", "Mar 5, 2022"][:2], kind="nominal")), SOURCE)
    assert problem.code == "chart-dates-sorted"
    assert "'01/02/2022' first" in problem.message and '"type": "temporal"' in problem.hint


def test_a_nominal_axis_of_iso_dates_or_with_a_sort_says_nothing():
    assert check_dates(definition(chart(["2021-12-01", "2022-01-02"], kind="ordinal")), SOURCE) == []
    spec = chart(["12/01/2021", "01/02/2022"], kind="nominal")
    spec["encoding"]["x"]["sort"] = None
    assert check_dates(definition(spec), SOURCE) == []
