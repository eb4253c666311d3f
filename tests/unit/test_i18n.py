import pytest

from broadsheet import i18n

NNBSP, NBSP = "\u202f", "\u00a0"


def test_french_and_english_currency():
    assert i18n.format_value(694444, "USD", "fr") == f"694{NNBSP}444{NBSP}$"
    assert i18n.format_value(700000, "USD", "fr") == f"700{NNBSP}000{NBSP}$"
    assert i18n.format_value(15, "USD", "fr") == f"15{NBSP}$"
    assert i18n.format_value(12.5, "USD", "fr") == f"12,50{NBSP}$"
    assert i18n.format_value(694444, "USD", "en") == "$694,444"


def test_styles_percent_plain_units_and_years():
    assert i18n.format_value(694444, "USD", "fr", "compact") == f"694{NNBSP}k$"
    assert i18n.format_value(694444, "USD", "fr", "number") == f"694{NNBSP}444"
    assert i18n.format_value(17.3, "percent", "fr") == f"17,3{NNBSP}%"
    assert i18n.format_value(0.36, "¢", "fr") == f"0,36{NBSP}¢"
    assert i18n.format_value(2023, "year", "fr") == "2023"  # a year never gets a separator
    assert i18n.format_value(1700, "", "fr") == f"1{NNBSP}700"  # a count does
    assert i18n.format_value(950, "USD", "fr", "compact") == f"950{NBSP}$"  # compact only from 1 000
    assert i18n.format_value(0.5, "USD", "fr") == f"0,50{NBSP}$"
    assert i18n.format_value(0.0036, "USD", "fr") == f"0,0036{NBSP}$"


def test_dates():
    assert i18n.format_date("2023-02-09", "fr") == "9\u00a0février 2023"
    assert i18n.format_date("2023-06-01", "fr") == "1er\u00a0juin 2023"
    assert i18n.format_date("2023-02", "fr") == "février 2023"
    assert i18n.format_date("2023-02-09", "en") == "February 9, 2023"


def test_chart_locale_matches_prose():
    assert i18n.d3_locales("fr")["number"]["thousands"] == NNBSP
    assert i18n.d3_locales("fr")["time"]["months"][1] == "février"


@pytest.mark.parametrize("language", ["fr", "en", "de", "es", "ar"])
def test_a_percentage_reads_the_same_in_the_prose_and_in_the_charts(language):
    """German writes 18,4 % (CLDR, DIN 5008): the prose wrote 18,4% beside charts saying 18,4 %."""
    d3_sign = i18n.d3_locales(language)["number"]["percent"]
    assert i18n.format_value(18.4, "%", language).endswith(d3_sign)
    assert i18n.value_template("%", language) == "{}" + d3_sign
    assert d3_sign == {"fr": NNBSP + "%", "en": "%", "de": NBSP + "%", "es": NBSP + "%", "ar": "%"}[language]


def test_templates_place_the_number():
    assert i18n.value_template("USD", "fr") == "{}" + NBSP + "$"
    assert i18n.value_template("USD", "en") == "${}"
    assert i18n.value_template("USD", "fr", "compact") == "{}$"
    assert i18n.value_template("heures", "fr", "number") == "{}"
