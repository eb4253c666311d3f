import pytest

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


def _load(text):
    from broadsheet import yamlmap
    return facts.parse_facts(yamlmap.load(text, "facts.yaml").data, "facts.yaml")


_BASE = ("facts:\n  f0:\n    value: 1\n    unit: ''\n    as_of: 2023-01-01\n    source: s\n    status: confirmed\n"
         "{}sources:\n  s:\n    name: N\n    publisher: P\n")


def test_a_long_chain_is_computed_without_recursion_then_refused():
    import time
    chain = "".join(f"  f{i}:\n    formula: f{i - 1} + 1\n    unit: ''\n" for i in range(1, 1501))
    started = time.monotonic()
    fact_set, problems = _load(_BASE.format(chain))
    assert time.monotonic() - started < 5.0
    assert [p.code for p in problems] == ["formula-too-deep"] and "'f200'" in problems[0].message
    assert fact_set.facts["f199"].value == 200


def test_a_long_cycle_is_one_diagnostic():
    cycle = "".join(f"  c{i}:\n    formula: c{(i + 1) % 1500} + 1\n    unit: ''\n" for i in range(1500))
    _, problems = _load(_BASE.format(cycle))
    assert [p.code for p in problems] == ["fact-cycle"] and "… 1491 more …" in problems[0].message


def test_shared_inputs_are_measured_not_expanded():
    two = "".join(f"  a{i}:\n    formula: {f'a{i-1}' if i > 1 else 'f0'} + {f'b{i-1}' if i > 1 else 'f0'}\n"
                  f"    unit: ''\n  b{i}:\n    formula: {f'a{i-1}' if i > 1 else 'f0'} - {f'b{i-1}' if i > 1 else 'f0'}\n"
                  "    unit: ''\n" for i in range(1, 26))
    _, problems = _load(_BASE.format(two))
    assert {p.code for p in problems} == {"formula-too-deep"} and "16,383 terms" in problems[0].message


@pytest.mark.parametrize("as_of, ok", [("2023-02-09", True), ("2023-02", True), ("2023", True), ("[1, 2]", False),
                                       ("hier", False), ("2023-13", False), ("0999", False), ("1.5", False)])
def test_as_of_is_a_date(as_of, ok):
    _, problems = _load(_BASE.format("").replace("as_of: 2023-01-01", f"as_of: {as_of}"))
    assert (problems == []) == ok and all(p.code == "fact-date" for p in problems)


def test_value_1_20_is_not_80():
    _, problems = _load(_BASE.format("").replace("value: 1", "value: 1:20"))
    assert problems[0].message == "value of fact 'f0' must be a number, not '1:20'"
