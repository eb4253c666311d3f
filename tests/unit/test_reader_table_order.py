""""Show the data": when the chart's x axis is time, its table's rows are in time order, whatever
the order of the file (years as numbers, ISO dates, a time unit's column); otherwise the file's order."""
from types import SimpleNamespace

from broadsheet.charts.tables import data_tables


def chart(x):
    values = [{"day": "2023-03-01", "v": 3}, {"day": "2021-12-25", "v": 1}, {"day": "2022-06-30T08:00", "v": 2},
              {"day": None, "v": 0}]
    spec = {"data": {"values": values}, "mark": "line",
            "encoding": {"x": x, "y": {"field": "v", "type": "quantitative"}}}
    return SimpleNamespace(id="c", vegalite=spec, large={})


def column(table, index=0):
    return [row[index] for row in table.rows]


def test_rows_follow_time_when_x_is_temporal():
    (table,) = data_tables(chart({"field": "day", "type": "temporal"}), {})
    assert column(table) == ["2021-12-25", "2022-06-30T08:00", "2023-03-01", None]


def test_a_time_unit_on_x_orders_too():
    (table,) = data_tables(chart({"field": "day", "timeUnit": "yearmonth", "type": "ordinal"}), {})
    assert column(table, 1) == [1, 2, 3, 0]


def test_rows_keep_the_files_order_otherwise():
    (table,) = data_tables(chart({"field": "day", "type": "nominal"}), {})
    assert column(table, 1) == [3, 1, 2, 0]


def test_years_as_numbers_order_as_numbers():
    spec = {"data": {"values": [{"y": 2020, "v": 1}, {"y": 1999, "v": 2}, {"y": 2005, "v": 3}]}, "mark": "bar",
            "encoding": {"x": {"field": "y", "type": "temporal"}, "y": {"field": "v", "type": "quantitative"}}}
    (table,) = data_tables(SimpleNamespace(id="c", vegalite=spec, large={}), {})
    assert column(table) == [1999, 2005, 2020]


def test_dates_written_day_first_keep_the_files_order():
    """`25/01/2024` read with a pattern (format.parse) does not sort as text: the file's order stays."""
    days = ["30/01/2024", "31/01/2024", "01/02/2024"]
    spec = {"data": {"values": [{"d": d, "v": i} for i, d in enumerate(days)]}, "mark": "bar",
            "encoding": {"x": {"field": "d", "type": "temporal"}, "y": {"field": "v", "type": "quantitative"}}}
    (table,) = data_tables(SimpleNamespace(id="c", vegalite=spec, large={}), {})
    assert column(table) == days


def test_a_story_csv_longer_than_the_page_shows_its_earliest_rows_in_time_order():
    """A story file (kept as columns) of more rows than a page shows: the first TABLE_ROWS in time
    order, rows of the same date in the file's order, and the count of every row."""
    from broadsheet.data import parse_csv
    from broadsheet.model import TABLE_ROWS

    years = [2000 + (index * 37) % 90 for index in range(300)]  # out of order, each year more than once
    raw = ("annee,rang\n" + "".join(f"{year},{index}\n" for index, year in enumerate(years))).encode()
    dataset, problems = parse_csv(raw, "data/annees.csv", "annees")
    assert not problems
    spec = {"data": {"url": "data/annees.csv"}, "mark": "line",
            "encoding": {"x": {"field": "annee", "type": "temporal"}, "y": {"field": "rang", "type": "quantitative"}}}
    chart = SimpleNamespace(id="c", vegalite=spec, large={"annees": SimpleNamespace(name="annees", raw=True)})
    (table,) = data_tables(chart, {"annees": dataset})
    expected = sorted(range(300), key=lambda index: (years[index], index))[:TABLE_ROWS]
    assert column(table, 1) == expected and table.total == 300
