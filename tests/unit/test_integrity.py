"""The integrity checks of issue 19: reader's scenarios, "verified" claims, stale facts, status words."""
import datetime as dt

from broadsheet import i18n, integrity, markup, yamlmap
from broadsheet import facts as facts_module
from broadsheet.diagnostics import SourceLocation
from broadsheet.model import DataFile

FACTS = """facts:
  wage:
    value: 15
    unit: USD
    as_of: 2023-05-06
    source: nbc
    status: confirmed
  hours:
    value: 8
    unit: heures
    as_of: 2023-05
    source: nbc
    status: assumption
  day_cost:
    formula: wage * hours
    unit: USD
  fixed:
    value: 3
    unit: ""
    as_of: 2021
    source: nbc
    status: estimate
sources:
  nbc:
    name: Contractors
    publisher: NBC News
"""


def fact_set():
    loaded = yamlmap.load(FACTS, "facts.yaml")
    parsed, problems = facts_module.parse_facts(loaded.data, "facts.yaml")
    assert problems == []
    return parsed


def test_assumption_is_a_status_with_words_in_both_languages():
    """Each status has its words and its one-line explanation, in every catalog of the repository."""
    from pathlib import Path

    from broadsheet import catalogs, ledger

    assert "assumption" in facts_module.STATUSES
    assert set(ledger.STATUS) == set(ledger.STATUS_HELP) == set(facts_module.STATUSES)
    locale = Path(__file__).resolve().parents[2] / "site_src" / "locale"
    for language in ("fr", "en", "de"):
        catalog = catalogs.load(locale, language)
        for key in facts_module.STATUSES:
            assert catalog.gettext(ledger.STATUS[key]) and catalog.gettext(ledger.STATUS_HELP[key]).endswith(".")
            if language == "fr":
                assert catalog.gettext(ledger.STATUS_HELP[key]) != ledger.STATUS_HELP[key]


def test_live_facts_follow_sliders_through_formulas():
    assert integrity.live_facts(fact_set(), ["wage"]) == {"wage", "day_cost"}
    assert integrity.live_facts(fact_set(), ["other"]) == set()


def test_scenario_on_a_fact_no_slider_moves_is_an_error():
    found, _ = markup.scan_directives("{scenario:day_cost} et {scenario:fixed}\n", "s.md", 2)
    problems = integrity.scenario_problems(found, fact_set(), ["wage"])
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("scenario-static", 3, 24)]
    assert "{fact:fixed}" in problems[0].hint


def test_a_paragraph_mixing_scenario_and_fact_is_an_error_but_separate_paragraphs_are_not():
    mixed = "Texte {fact:wage}.\n\nAvec {scenario:wage}\net {fact:hours}, voilà.\n"
    _, problems = markup.scan_directives(mixed, "s.md", 10)
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("scenario-mixed", 14, 4)]
    _, problems = markup.scan_directives("Texte {fact:wage}.\n\nAvec {scenario:wage}.\n", "s.md", 0)
    assert problems == []


def test_scenario_renders_as_a_labelled_live_region_without_a_popover():
    html = markup.make_renderer(lambda k, s: f'<button class="fact">{k}</button>', lambda c: "",
                                scenario_html=lambda k, s: f'<span class="scenario-value">{k}</span>',
                                scenario_label="Votre scénario : ")("Publié {fact:wage}.\n\n- Votre {scenario:wage} ici\n")
    assert "<p>Publié" in html and 'class="scenario"' not in html.split("<ul>")[0]
    assert '<li aria-live="polite" class="scenario"><span class="scenario-label">Votre scénario : </span>' in html
    assert '<span class="scenario-value">wage</span>' in html


def test_verified_claim_over_estimates_or_assumptions_is_a_warning():
    meta = {"title": "Des chiffres", "dek": "Les chiffres vérifiés", "locations": {"dek": SourceLocation("i.md", 3, 1)}}
    problems = integrity.verified_claim(meta, fact_set(), "i.md")
    assert [(p.code, p.severity, p.location.line) for p in problems] == [("claim-verified", "warning", 3)]
    assert "hours, fixed" in problems[0].message
    assert integrity.verified_claim({**meta, "dek": "Chaque chiffre sourcé"}, fact_set(), "i.md") == []


def test_stale_after_takes_durations_and_dates_and_refuses_the_rest():
    today, where = dt.date(2024, 6, 1), SourceLocation("i.md", 4, 1)
    assert integrity.stale_limit("365d", today, where) == (dt.date(2023, 6, 2), [])
    assert integrity.stale_limit("18 months", today, where)[0] == dt.date(2022, 12, 1)
    assert integrity.stale_limit("2 ans", today, where)[0] == dt.date(2022, 6, 1)
    assert integrity.stale_limit(dt.date(2023, 1, 1), today, where) == (dt.date(2023, 1, 1), [])
    assert integrity.stale_limit("2023-01-01", today, where)[0] == dt.date(2023, 1, 1)
    limit, problems = integrity.stale_limit("bientôt", today, where)
    assert limit is None and [p.code for p in problems] == ["stale-after"]


def test_stale_facts_compare_the_last_day_of_a_partial_date_and_skip_derived_facts():
    problems = integrity.stale_facts(fact_set(), dt.date(2023, 5, 31), "1 year")
    assert [p.message.split("'")[1] for p in problems] == ["wage", "fixed"]  # 2023-05 runs to the 31st
    assert all(p.code == "fact-stale" and p.severity == "warning" for p in problems)
    assert integrity.stale_facts(fact_set(), None, "") == []


FRENCH_STATUS = {"confirmed": "confirmé", "reported": "rapporté", "estimate": "estimation",
                 "computed": "calcul de la rédaction", "assumption": "hypothèse de la rédaction"}


def test_status_column_uses_the_popover_words():
    csv = "who,statut\nA,confirmé\nB,estimate\nC,vérifié\nD,vérifié\n".encode()
    files = {"pay": DataFile("pay", "data/pay.csv", csv, "x")}
    problems = integrity.status_words(files, FRENCH_STATUS)
    assert [(p.code, p.location.line) for p in problems] == [("status-word", 4)]
    plain = {"pay": DataFile("pay", "data/pay.csv", "who,value\nA,vérifié\n".encode(), "x")}
    assert integrity.status_words(plain, FRENCH_STATUS) == []
