from broadsheet import facts, yamlmap


def parse(text: str):
    loaded = yamlmap.load(text, "facts.yaml")
    assert not loaded.diagnostics
    return facts.parse_facts(loaded.data, "facts.yaml")


BASE = """facts:
  wage:
    value: 15
    unit: USD
    as_of: 2023-05-06
    source: nbc
    status: confirmed
  hours:
    value: 8
    unit: heures
    as_of: 2023-05-06
    source: nbc
    status: estimate
sources:
  nbc:
    name: Contractors
    publisher: NBC News
    url: https://example.org/
    date: 2023-05-06
"""


def test_plain_fact_keeps_value_unit_date_and_source():
    fact_set, problems = parse(BASE)
    assert problems == []
    wage = fact_set["wage"]
    assert (wage.value, wage.unit, wage.as_of, wage.sources, wage.status) == (15, "USD", "2023-05-06", ("nbc",), "confirmed")
    assert wage.location.line == 2


def test_derived_fact_is_computed_and_inherits_sources():
    text = BASE.replace("sources:", "  day:\n    formula: round(wage * hours * 1000 / 3, 1)\n    unit: USD\nsources:")
    fact_set, problems = parse(text)
    assert problems == []
    day = fact_set["day"]
    assert day.value == 40000.0
    assert day.sources == ("nbc",)
    assert day.inputs == ("wage", "hours")
    assert day.status == "computed"


def test_formula_cannot_call_arbitrary_code():
    text = BASE.replace("sources:", "  evil:\n    formula: __import__('os').system('true')\n    unit: USD\nsources:")
    _, problems = parse(text)
    assert [p.code for p in problems] == ["formula-syntax"]


def test_formula_rejects_attribute_access_and_lambdas():
    for formula in ("wage.real", "(lambda: 1)()", "[1, 2]", "wage if hours else 1"):
        try:
            facts.compile_formula(formula)
        except facts.FormulaError:
            continue
        raise AssertionError(f"{formula} was accepted")


def test_huge_power_is_refused():
    program, _ = facts.compile_formula("10 ** 10 ** 10")
    try:
        facts.evaluate(program, {})
    except facts.FormulaError as exc:
        assert "too large" in exc.message
    else:
        raise AssertionError("no error")


def test_cycle_unknown_name_and_division_by_zero_are_reported():
    text = BASE.replace("sources:", "  a:\n    formula: b + 1\n    unit: USD\n  b:\n    formula: a + 1\n    unit: USD\n"
                                     "  c:\n    formula: wagee * 2\n    unit: USD\n  d:\n    formula: wage / (hours - 8)\n"
                                     "    unit: USD\nsources:")
    _, problems = parse(text)
    codes = sorted(p.code for p in problems)
    assert codes == ["fact-cycle", "formula-math", "formula-unknown-name"]
    unknown = next(p for p in problems if p.code == "formula-unknown-name")
    assert "did you mean 'wage'?" in unknown.hint


def test_missing_fields_each_get_their_own_code():
    text = "facts:\n  x:\n    value: '700k'\nsources: {}\n"
    _, problems = parse(text)
    assert sorted(p.code for p in problems) == ["fact-no-date", "fact-no-source", "fact-no-status", "fact-no-unit",
                                                "fact-value-type"]


def test_unknown_field_gets_did_you_mean():
    _, problems = parse(BASE.replace("    status: estimate", "    statuss: estimate\n    status: estimate"))
    assert problems[0].code == "fact-field"
    assert "did you mean 'status'?" in problems[0].hint


def test_round_is_half_up_like_the_page_script():
    program, _ = facts.compile_formula("round(x)")
    assert facts.evaluate(program, {"x": 2.5}) == 3 and facts.evaluate(program, {"x": 3.5}) == 4
    program, _ = facts.compile_formula("round(x, 1)")
    assert facts.evaluate(program, {"x": 0.25}) == 0.3
