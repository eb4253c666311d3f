"""Dates in the tables under charts ("Show the data") read as the chart's axis writes them, in the
story's language, never as ISO timestamps; a bin's two ends as one range."""
import pytest

from broadsheet import render
from broadsheet.charts import fields
from broadsheet.charts.tables import _bins_joined, titled
from broadsheet.model import TableData

CHART = {"mark": "line", "encoding": {
    "x": {"field": "jour", "type": "temporal"},
    "y": {"field": "montant", "type": "quantitative", "aggregate": "mean", "title": "Moyenne"},
    "color": {"field": "mois", "type": "ordinal", "timeUnit": "yearmonth"},
    "tooltip": [{"field": "heure", "type": "temporal"}]}}
ROWS = (("2023-05-01T00:00:00", 12.5, "2023-06-01T00:00:00.000", "2023-05-01T14:30:00"),
        ("2023-12-25", 3.25, "2024-01-01T00:00:00.000", "2023-12-25T08:05:00"))


def cells(lang):
    table = TableData("t", ("jour", "mean_montant", "yearmonth_mois", "heure"), ROWS, b"")
    (shown,) = titled((table,), fields.titles(CHART), fields.temporal_columns(CHART))
    assert shown.columns == ("jour", "Moyenne", "mois", "heure")
    return render._cells(shown.columns, shown.rows, lang, shown.kinds)


@pytest.mark.parametrize("lang, expected", [
    ("fr", [["1er mai 2023", "12,50", "juin 2023", "1 mai 2023, 14:30:00"],
            ["25 décembre 2023", "3,25", "janvier 2024", "25 déc. 2023, 08:05:00"]]),
    ("en", [["May 1, 2023", "12.50", "June 2023", "May 1, 2023, 2:30:00\u202fPM"],
            ["December 25, 2023", "3.25", "January 2024", "Dec 25, 2023, 8:05:00\u202fAM"]]),
])
def test_dates_are_written_in_the_story_language(lang, expected):
    got = [[cell.replace("\u00a0", " ").replace("\u202f", " ") for cell in row] for row in cells(lang)]
    assert got == [[cell.replace("\u202f", " ") for cell in row] for row in expected]
    assert not any("T00:00" in cell or "-05-" in cell for row in got for cell in row)


def test_a_column_the_chart_does_not_draw_as_a_date_is_left_as_it_is():
    table = TableData("t", ("code",), (("2023-05-01",),), b"")
    (shown,) = titled((table,), {}, fields.temporal_columns(CHART))
    assert render._cells(shown.columns, shown.rows, "en", shown.kinds) == [["2023-05-01"]]


def test_a_bin_is_one_range_column_under_its_field_title():
    table = TableData("t", ("bin_maxbins_30_montant", "bin_maxbins_30_montant_end", "__count"),
                      ((0, 100, 1200), (100, 200.5, 30)), b"")
    spec = {"mark": "bar", "encoding": {"x": {"field": "montant", "bin": {"maxbins": 30}, "title": "Montant"},
                                        "y": {"aggregate": "count", "title": "Transactions"}}}
    (shown,) = titled((_bins_joined(table),), fields.titles(spec), fields.temporal_columns(spec))
    assert shown.columns == ("Montant", "Transactions")
    assert render._cells(shown.columns, shown.rows, "fr", shown.kinds) == \
        [["0,0\u2013100,0", "1\u202f200"], ["100,0\u2013200,5", "30"]]
