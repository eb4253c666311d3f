"""Numbers, dates and interface words in the story's language (Babel lives here only).

French wants `694 444 $` and `12,50 $`, English `$694,444`: the currency *pattern* comes from
the locale, the symbol is the narrow one readers expect (`$`, not `$US`), and digits follow
the value (whole numbers get no decimals). A year-like number never gets a separator.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.lists import format_list as _babel_format_list
from babel.numbers import format_compact_decimal, format_decimal, get_currency_symbol, is_currency

NARROW_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}
PERCENT_UNITS = {"percent", "%"}
YEAR_UNITS = {"year", "an", "année"}  # a value in these units is a year: 2023, never 2 023
NBSP = "\u00a0"
NNBSP = "\u202f"
MINUS = "\u2212"


@lru_cache(maxsize=None)
def locale_for(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


def is_known_language(language) -> bool:
    if not isinstance(language, str) or not language.strip():
        return False
    try:
        locale_for(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


YEAR_NAMES = re.compile(r"(?:^|[^a-z])(?:years?|yr|annees?|années?|an|ans|jahre?|anos?|años?|anno|jaar|år|سنة|عام|שנה)"
                        r"(?:[^a-z]|$)", re.IGNORECASE)


def is_year_name(name: str) -> bool:
    """A field or slider named like a year ('year', 'Année', 'Jahr', 'birth_year'): its values are
    years, written 2017 in every language, never 2,017 or 2 017."""
    return bool(YEAR_NAMES.search(name))


def is_currency_unit(unit: str) -> bool:
    return len(unit) == 3 and unit.isupper() and is_currency(unit)


def fraction_digits(value: float, unit: str) -> int:
    """Whole numbers get none; money gets cents (12,50 $, 0,50 $); others what they need, up to 6.
    The page's script (live facts) applies the same rule."""
    if float(value).is_integer():
        return 0
    text = f"{abs(value):.6f}".rstrip("0")
    needed = len(text.split(".")[1]) if "." in text else 0
    if is_currency_unit(unit):
        return max(2, min(needed, 4))
    return min(needed, 6)


@lru_cache(maxsize=4096)
def format_number(value: float, language: str, unit: str = "", digits: int | None = None) -> str:
    """The bare number, grouped and with the locale's decimal sign."""
    if digits is None:
        digits = fraction_digits(value, unit)
    if unit in YEAR_UNITS and float(value).is_integer() and 1000 <= abs(value) <= 2999:
        return str(int(value))
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return real_minus(format_decimal(value, format=pattern, locale=locale_for(language), group_separator=True))


def real_minus(number: str) -> str:
    """A negative number with the minus sign (U+2212), as typesetters and d3 charts write it, not
    the hyphen Babel gives: it is as wide as a plus and a digit, and no line breaks after it."""
    return MINUS + number[1:] if number.startswith("-") else number


def currency_symbol(code: str, language: str) -> str:
    return NARROW_CURRENCY.get(code) or get_currency_symbol(code, locale=locale_for(language))


def _place_currency(number: str, code: str, language: str) -> str:
    """Put the symbol where the locale puts it: `15 $` in French, `$15` in English."""
    pattern = locale_for(language).currency_formats["standard"].pattern.split(";")[0]
    symbol = currency_symbol(code, language)
    if pattern.strip().startswith("¤"):
        gap = NBSP if pattern.startswith("¤ ") or pattern.startswith("¤\u00a0") else ""
        return f"{symbol}{gap}{number}"
    return f"{number}{NBSP}{symbol}"


def value_template(unit: str, language: str, style: str = "") -> str:
    """How a fact reads with '{}' where its number goes: '{} $', '${}', '{} %', '{} heures'.
    The page's script fills the same template when a slider changes a live fact."""
    if style == "number" or not unit or unit in YEAR_UNITS:  # a year reads as itself: 2023
        return "{}"
    if unit in PERCENT_UNITS:
        return "{}" + percent_sign(language)
    if is_currency_unit(unit):
        if style == "compact" and language.startswith("fr"):
            return "{}" + currency_symbol(unit, language)  # 694 k$
        return _place_currency("{}", unit, language)
    return "{}" + NBSP + unit


@lru_cache(maxsize=64)
def percent_sign(language: str) -> str:
    """The percent sign as the language writes it after a number, with its space if it has one
    (German and Spanish "18,4 %", English "18.4%", French a narrow no-break space): the prose and
    the charts' d3 locale take it from here, so a page never writes it two ways."""
    if language.startswith("fr"):
        return NNBSP + "%"
    percent = locale_for(language).percent_formats[None].pattern.split(";")[0]
    gap = percent[-2] if percent.endswith("%") and percent[-2:-1] in (NBSP, NNBSP, " ") else ""
    return (NBSP if gap == " " else gap) + "%"


def compact_number(value: float, language: str) -> str:
    """694 k, 1,5 M: one decimal only while the leading part has one digit."""
    number = format_compact_decimal(value, locale=locale_for(language), fraction_digits=0)
    if len(re.match(r"\D*(\d*)", number).group(1)) == 1:
        number = format_compact_decimal(value, locale=locale_for(language), fraction_digits=1)
    number = real_minus(number)
    return number.replace(NBSP, NNBSP) if language.startswith("fr") else number


@lru_cache(maxsize=4096)
def format_value(value: float, unit: str, language: str, style: str = "") -> str:
    """A fact as readers see it. Styles: '' (number and unit), 'number', 'compact' (694 k$;
    below 1 000 a compact number is just the number)."""
    if style == "compact" and abs(value) >= 1000:
        return value_template(unit, language, "compact").replace("{}", compact_number(value, language))
    return value_template(unit, language, "number" if style == "number" else "").replace(
        "{}", format_number(value, language, unit))


@lru_cache(maxsize=4096)
def format_date(iso: str, language: str) -> str:
    """'2023-02-09' -> '9 février 2023' (a no-break space after the day in French); a year-month ->
    'février 2023'; anything else as is."""
    try:
        if len(iso) == 7:
            date = dt.date.fromisoformat(iso + "-01")
            return _babel_format_date(date, format="MMMM y", locale=locale_for(language))
        date = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    text = _babel_format_date(date, format="long", locale=locale_for(language))
    if language.startswith("fr"):
        if date.day == 1:
            text = text.replace("1 ", "1er ", 1)  # French writes the first of the month as an ordinal
        text = text.replace(" ", NBSP, 1)  # and never parts the day from its month at a line end
    return text


def format_moment(value, pattern: str, language: str) -> str:
    """A date or time from a chart's data ('2023-06-01T00:00:00.000', '2023-06-01', or
    milliseconds since 1970) written in `language` as a chart's axis would: `pattern` is a Babel
    pattern (`MMMM y`: "juin 2023"), "date" (the date, its time when it has one) or "datetime".
    Anything that is not a date, as it is."""
    moment = _moment(value)
    if moment is None:
        return str(value)
    locale = locale_for(language)
    if pattern == "date":
        pattern = "datetime" if moment.time() != dt.time() else "date"
    if pattern == "date":
        return format_date(moment.date().isoformat(), language)
    if pattern == "datetime":
        return _babel_format_datetime(moment, format="medium", locale=locale)
    return _babel_format_datetime(moment, format=pattern, locale=locale)


def _moment(value) -> dt.datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) < 1e11:  # a year or a count, not milliseconds
            return None
        return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=value)
    if not isinstance(value, str) or not re.match(r"\d{4}-\d\d-\d\d", value):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


def elide(text: str, language: str) -> str:
    """French elides 'de' before a vowel or a mute h: 'chiffre d’avril 2023', 'chiffre de mai 2023'."""
    if not language.startswith("fr"):
        return text
    return re.sub(r"\bde ([aeiouéèhAEIOUÉÈH])", "d’\\1", text)


def format_list(items: list[str], language: str) -> str:
    """'a, b et c', 'a, b, and c', 'a, b und c': the locale's own way of listing."""
    return _babel_format_list(list(items), locale=locale_for(language))


def og_locale(language: str) -> str:
    """The Open Graph locale of a language: its territory given, or CLDR's likely one (en -> en_US,
    fr -> fr_FR, ar -> ar_EG), never an invented en_EN."""
    try:
        locale = locale_for(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return language.replace("-", "_")
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = get_global("likely_subtags").get(locale.language, "")
    territory = next((part for part in likely.split("_")[1:] if part.isupper() and len(part) == 2), "")
    return f"{locale.language}_{territory}" if territory else locale.language


def language_name(language: str) -> str:
    """A language's name in itself ("English", "français", "Deutsch"): how a language switcher
    offers it, whatever the page's language."""
    try:
        locale = locale_for(language)
        return locale.get_display_name(locale) or language
    except (UnknownLocaleError, ValueError, TypeError):
        return language


def text_direction(language: str) -> str:
    """'rtl' for a language written right to left (Arabic, Hebrew, Persian…), else 'ltr'."""
    try:
        return "rtl" if locale_for(language).character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"


@lru_cache(maxsize=16)
def d3_locales(language: str) -> dict:
    """d3-format and d3-time-format locales for Vega, so chart axes, legends, tooltips and sliders
    read like the prose: the build draws the static picture with them and the page hands the same
    to the live view. Digits are Latin in every language (the prose's Babel numbers are too)."""
    locale = locale_for(language)
    symbols = locale.number_symbols.get("latn", locale.number_symbols) if hasattr(locale, "number_symbols") else {}
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    dollar = currency_symbol("USD", language)
    currency = [dollar, ""] if pattern.strip().startswith("¤") else ["", NBSP + dollar]
    days = [locale.days["format"]["wide"][i] for i in (6, 0, 1, 2, 3, 4, 5)]  # d3 weeks start on Sunday
    short_days = [locale.days["format"]["abbreviated"][i] for i in (6, 0, 1, 2, 3, 4, 5)]
    return {
        "number": {"decimal": symbols.get("decimal", "."), "thousands": symbols.get("group", ","), "grouping": [3],
                   "minus": MINUS,
                   "currency": currency, "percent": percent_sign(language)},
        "time": {**_d3_date_patterns(language, locale), "days": days, "shortDays": short_days,
                 "months": [locale.months["format"]["wide"][i] for i in range(1, 13)],
                 "shortMonths": [locale.months["format"]["abbreviated"][i] for i in range(1, 13)]},
    }


def _d3_date_patterns(language: str, locale: Locale) -> dict:
    """dateTime, date, time and periods in d3's notation, from the locale's short date (CLDR)."""
    if language.startswith("fr"):
        return {"dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"]}
    if language.startswith("en"):
        return {"dateTime": "%x, %X", "date": "%-m/%-d/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"]}
    short = re.sub(r"[\u200e\u200f\u061c]", "", locale.date_formats["short"].pattern)
    date = re.sub(r"y+|M+|d+", lambda m: {"y": "%Y", "M": "%m" if len(m.group(0)) > 1 else "%-m",
                                           "d": "%d" if len(m.group(0)) > 1 else "%-d"}[m.group(0)[0]], short)
    periods = locale.day_periods.get("format", {}).get("abbreviated", {})
    return {"dateTime": "%x, %X", "date": date, "time": "%H:%M:%S",
            "periods": [periods.get("am", "AM"), periods.get("pm", "PM")]}
