"""Footnotes checked at their line: a note no mark calls is left out and named; a mark with no note is named."""
from broadsheet import footnotes, markup


def test_a_note_no_mark_calls_is_named_at_its_line_and_left_out():
    text = "Intro.\n\nRaman said so.\n\n[^raman]: Interview, 4 March 2024.\n    A second line of it.\n\nAfter.\n"
    kept, problems = footnotes.checked_notes(text, "sections/01.md", 2)
    assert [(p.code, p.location.line) for p in problems] == [("footnote-unused", 7)]
    assert "Interview" not in kept and "second line" not in kept and "After." in kept
    assert kept.count("\n") == text.count("\n")  # later lines keep their numbers
    html = markup.render(kept, lambda key, style: key, lambda chart: chart)
    assert "fnref" not in html and "footnote" not in html  # no list linking back to a mark that is not there


def test_a_mark_with_no_note_is_named_and_notes_called_say_nothing():
    text = "A claim[^a] and another[^b].\n\n[^a]: Its source.\n\n```\n[^c]: in code, not a note\n```\n"
    kept, problems = footnotes.checked_notes(text, "sections/01.md", 0)
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("footnote-missing", 1, 24)]
    assert kept == text
    assert footnotes.checked_notes("No notes here.", "p", 0) == ("No notes here.", [])
