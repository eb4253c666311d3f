"""Numbers in the words outside the Markdown: front matter and chart texts (issue 19, item 2)."""
from broadsheet import wording, yamlmap
from broadsheet import facts as facts_module
from broadsheet.diagnostics import SourceLocation
from broadsheet.model import Update

FACTS = """facts:
  wage:
    value: 15
    unit: USD
    as_of: 2023-05-06
    source: nbc
    status: confirmed
sources:
  nbc:
    name: Contractors
    publisher: NBC News
"""


def fact_set():
    return facts_module.parse_facts(yamlmap.load(FACTS, "facts.yaml").data, "facts.yaml")[0]


def fmt(fact, style):
    return f"<{fact.value}{'' if style else ' $'}>"


def test_front_matter_facts_are_printed_and_bare_numbers_found_at_their_column():
    lines = ["---", 'title: "Payés {fact:wage}"', 'dek: "Ils sont 375, {literal:12} ans"', "updates:",
             "  - date: 2024-01-01", '    note: "Corrigé : {fact:wage|number} et {fact:nope}"']
    meta = {"title": "Payés {fact:wage}", "dek": "Ils sont 375, {literal:12} ans", "front_lines": lines,
            "locations": {"title": SourceLocation("i.md", 2, 1), "dek": SourceLocation("i.md", 3, 1)},
            "updates": (Update("2024-01-01", "Corrigé : {fact:wage|number} et {fact:nope}"),),
            "note_locations": (("Corrigé : {fact:wage|number} et {fact:nope}", SourceLocation("i.md", 6, 5)),)}
    problems = []
    resolved, used = wording.front_matter_texts(meta, fact_set(), fmt, problems)
    assert resolved["title"] == "Payés <15 $>" and resolved["dek"] == "Ils sont 375, 12 ans"
    assert resolved["updates"][0].note == "Corrigé : <15> et {fact:nope}"
    assert used == ["wage", "wage"]
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("number-bare", 3, 16), ("fact-unknown", 6, 44)]


def test_python_chart_texts_are_read_piece_by_piece_with_their_place():
    source = 'import x\nTITLE = "Un titre"\nALT = (\n    "Deux barres : "\n    "375 salariés."\n)\nCAPTION = f"{x}"\n'
    assert wording.chart_texts("c.py", source) == [("TITLE", "Un titre", 2, 10), ("ALT", "Deux barres : ", 4, 6),
                                                   ("ALT", "375 salariés.", 5, 6)]
    problems = wording.chart_bare_numbers("c.py", source)
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("number-bare", 5, 6)]


def test_vega_lite_chart_texts_are_read_at_their_key():
    source = '{\n  "title": "Salaires",\n  "description": "Deux barres, 2 et {fact:wage}.",\n  "mark": "bar"\n}\n'
    problems = wording.chart_bare_numbers("c.vl.json", source)
    assert [(p.location.line, p.location.column) for p in problems] == [(3, 32)]


def test_a_per_language_chart_text_is_read_in_each_language():
    source = 'CAPTION = {"fr": "Un texte.",\n           "en": ("Drag "\n                  "the slider.")}\n'
    assert wording.chart_texts("c.py", source) == [("CAPTION:fr", "Un texte.", 1, 19), ("CAPTION:en", "Drag ", 2, 20),
                                                   ("CAPTION:en", "the slider.", 3, 20)]
