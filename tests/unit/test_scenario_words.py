"""`scenario-claim`: comparing words beside a reader's value, which moves while they stay."""
from broadsheet import scenario_words


def codes(text: str, language: str) -> list[tuple[str, int, int]]:
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1)]
    return [(p.code, p.location.line, p.location.column) for p in scenario_words.check(lines, "s.md", language)]


def test_a_judgement_beside_a_scenario_value_is_named_at_its_first_word():
    text = "Intro.\nWith a rent of {scenario:rent}, more than half of the pay, {scenario:burden}, goes to rent."
    problems = scenario_words.check([(2, text.split("\n")[1])], "s.md", "en")
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("scenario-claim", 2, 33)]
    assert "'more than', 'half'" in problems[0].message and "{scenario:rent}" in problems[0].message
    assert codes("Avec {scenario:loyer|compact}, le loyer prend plus de la moitié du salaire.", "fr") == \
        [("scenario-claim", 1, 47)]
    assert codes("Bei {scenario:miete} reicht das Geld nicht.", "de") == [("scenario-claim", 1, 22)]


def test_the_value_alone_or_a_claim_about_a_published_figure_says_nothing():
    assert codes("Your rent takes {scenario:burden} of the pay.", "en") == []
    assert codes("More than half of renters pay {fact:share}. Your rent: {scenario:rent}.", "en") == []
    assert codes("With {scenario:rent}, more than half goes to rent.", "it") == []  # a language not read
