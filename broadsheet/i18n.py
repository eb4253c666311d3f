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
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_compact_decimal, format_decimal, get_currency_symbol, is_currency

NARROW_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}
PERCENT_UNITS = {"percent", "%"}
YEAR_UNITS = {"year", "an", "année"}  # a value in these units is a year: 2023, never 2 023
NBSP = "\u00a0"
NNBSP = "\u202f"


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
    return format_decimal(value, format=pattern, locale=locale_for(language), group_separator=True)


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
        return "{}" + NNBSP + "%" if language.startswith("fr") else "{}%"
    if is_currency_unit(unit):
        if style == "compact" and language.startswith("fr"):
            return "{}" + currency_symbol(unit, language)  # 694 k$
        return _place_currency("{}", unit, language)
    return "{}" + NBSP + unit


def compact_number(value: float, language: str) -> str:
    """694 k, 1,5 M: one decimal only while the leading part has one digit."""
    number = format_compact_decimal(value, locale=locale_for(language), fraction_digits=0)
    if len(re.match(r"\D*(\d*)", number).group(1)) == 1:
        number = format_compact_decimal(value, locale=locale_for(language), fraction_digits=1)
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


def as_of_phrase(iso: str, language: str) -> str:
    """'chiffre du 9 février 2023', 'chiffre d'avril 2023', 'figure as of May 2023'."""
    text = format_date(iso, language)
    if not language.startswith("fr"):
        return f"figure as of {text}"
    if len(iso) >= 10:
        return f"chiffre du {text}"
    return f"chiffre d’{text}" if text[:1].lower() in "aeiouéèh" else f"chiffre de {text}"


MESSAGES = {
    "fr": {
        "source": "Source",
        "sources": "Sources",
        "sources_intro": "Chaque nombre de cet article renvoie à sa source. Liste des sources citées :",
        "data_table": "Voir les données",
        "download_csv": "Télécharger les données (CSV)",
        "status": {"confirmed": "confirmé", "reported": "rapporté", "estimate": "estimation",
                   "computed": "calcul de la rédaction", "assumption": "hypothèse de la rédaction"},
        "status_help": {"confirmed": "Lu dans la source d’origine.",
                        "reported": "Rapporté par une source secondaire, ou source d’origine non lue.",
                        "estimate": "Estimation d’un tiers, pas une mesure.",
                        "computed": "Calculé par la rédaction à partir d’autres chiffres sourcés.",
                        "assumption": "Hypothèse de la rédaction, posée pour le calcul : pas une donnée."},
        "scenario": "Votre scénario",
        "how_we_know": "Comment nous le savons",
        "how_we_know_slug": "comment-nous-le-savons",
        "how_we_know_intro": "Chaque nombre de l’article tel qu’il est imprimé, avec sa source, son statut et l’endroit "
                             "où il apparaît.",
        "ledger_json": "Les mêmes données en JSON",
        "ledger_number": "Nombre",
        "ledger_status": "Statut",
        "ledger_where": "Où",
        "in_chart": "graphique",
        "in_text": "texte",
        "in_scenario": "votre scénario",
        "back_to_story": "Retour à l’article",
        "computed_from": "Calcul de la rédaction à partir de",
        "published": "Publié le",
        "updated": "mis à jour le",
        "updates": "Mises à jour et corrections",
        "skip": "Aller au contenu",
        "nav": "Navigation du site",
        "feed": "Flux Atom",
        "stories": "Articles",
        "archives": "Archives",
        "archives_of": "Les articles de {year}",
        "archive_pages": "Pages des archives",
        "newer": "← Plus récents",
        "older": "Plus anciens →",
        "page_of": "Page {page} sur {pages}",
        "home": "Retour à l’accueil",
        "by": "Par",
        "not_found": "Page introuvable",
        "not_found_text": "Cette page n’existe pas ou a été déplacée.",
        "home": "Retour à l’accueil",
        "chart_static": "Graphique statique",
        "more_rows": "lignes de plus dans le fichier CSV",
        "note": "Note",
        "backlink": "Retour au texte",
        "generated": "Site généré le",
        "draft": "Brouillon : cette page n’est pas publiée, ni listée sur l’accueil, dans le fil ou le plan du site.",
        "embed": "Intégrer",
        "embed_help": "Copiez ce code dans votre page : le graphique s’y affiche et s’y ajuste.",
        "read_story": "Lire l’article",
        "colon": "\u00a0: ",
        "quote_open": "«\u00a0",
        "quote_close": "\u00a0»",
        "and": "et",
    },
    "en": {
        "source": "Source",
        "sources": "Sources",
        "sources_intro": "Every number in this story links to its source. Sources cited:",
        "data_table": "Show the data",
        "download_csv": "Download the data (CSV)",
        "status": {"confirmed": "confirmed", "reported": "reported", "estimate": "estimate",
                   "computed": "our calculation", "assumption": "our assumption"},
        "status_help": {"confirmed": "Read in the original source.",
                        "reported": "Reported by a secondary source, or the original was not read.",
                        "estimate": "An estimate by a third party, not a measurement.",
                        "computed": "Calculated by us from other sourced figures.",
                        "assumption": "Our own assumption, made for the calculation: not data."},
        "scenario": "Your scenario",
        "how_we_know": "How we know",
        "how_we_know_slug": "how-we-know",
        "how_we_know_intro": "Every number in the story as printed, with its source, its status and where it appears.",
        "ledger_json": "The same data as JSON",
        "ledger_number": "Number",
        "ledger_status": "Status",
        "ledger_where": "Where",
        "in_chart": "chart",
        "in_text": "text",
        "in_scenario": "your scenario",
        "back_to_story": "Back to the story",
        "computed_from": "Our calculation from",
        "published": "Published",
        "updated": "updated",
        "updates": "Updates and corrections",
        "skip": "Skip to content",
        "nav": "Site navigation",
        "feed": "Atom feed",
        "stories": "Stories",
        "archives": "Archives",
        "archives_of": "Stories of {year}",
        "archive_pages": "Archive pages",
        "newer": "← Newer",
        "older": "Older →",
        "page_of": "Page {page} of {pages}",
        "home": "Back to the home page",
        "by": "By",
        "not_found": "Page not found",
        "not_found_text": "This page does not exist or has moved.",
        "home": "Back to the home page",
        "chart_static": "Static chart",
        "more_rows": "more rows in the CSV file",
        "note": "Note",
        "backlink": "Back to the text",
        "generated": "Site generated on",
        "draft": "Draft: this page is not published, nor listed on the home page, in the feed or in the sitemap.",
        "embed": "Embed",
        "embed_help": "Paste this code into your page: the chart shows there and sizes itself.",
        "read_story": "Read the story",
        "colon": ": ",
        "quote_open": "“",
        "quote_close": "”",
        "and": "and",
    },
}


def messages(language: str) -> dict:
    """Interface words for a language; English when the language has none of its own."""
    return MESSAGES.get(language.split("-")[0].split("_")[0], MESSAGES["en"])


@lru_cache(maxsize=16)
def d3_locales(language: str) -> dict:
    """d3-format and d3-time-format locales for Vega, so chart axes read like the prose."""
    locale = locale_for(language)
    symbols = locale.number_symbols.get("latn", locale.number_symbols) if hasattr(locale, "number_symbols") else {}
    decimal = symbols.get("decimal", ".")
    group = symbols.get("group", ",")
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    dollar = currency_symbol("USD", language)
    currency = [dollar, ""] if pattern.strip().startswith("¤") else ["", NBSP + dollar]
    days = [locale.days["format"]["wide"][i] for i in (6, 0, 1, 2, 3, 4, 5)]  # d3 weeks start on Sunday
    short_days = [locale.days["format"]["abbreviated"][i] for i in (6, 0, 1, 2, 3, 4, 5)]
    return {
        "number": {"decimal": decimal, "thousands": group, "grouping": [3], "currency": currency,
                   "percent": NNBSP + "%" if language.startswith("fr") else "%"},
        "time": {"dateTime": "%A %e %B %Y à %X" if language.startswith("fr") else "%x, %X",
                 "date": "%d/%m/%Y" if language.startswith("fr") else "%-m/%-d/%Y",
                 "time": "%H:%M:%S", "periods": ["AM", "PM"], "days": days, "shortDays": short_days,
                 "months": [locale.months["format"]["wide"][i] for i in range(1, 13)],
                 "shortMonths": [locale.months["format"]["abbreviated"][i] for i in range(1, 13)]},
    }
