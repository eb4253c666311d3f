"""Judgements beside a reader's value: a sentence holding `{scenario:…}` and words that compare the
value to something ("more than half", "not enough", "plus de la moitié").

A scenario value moves with the reader's sliders; the words around it do not. "More than half of
the pay goes to rent" is true at one rent and false at another, and the page reads it aloud (its
live region) whatever the value. The build warns (`scenario-claim`) at each such word in a
sentence with a scenario value, in the languages listed here (others are not read).
"""
from __future__ import annotations

import re

from .diagnostics import Diagnostic, SourceLocation, warning

_CLAIMS = {
    "en": r"more than|less than|fewer than|over|under|above|below|beyond|at least|at most|most|majority|minority|"
          r"half|a third|a quarter|twice|double|triple|enough|exceeds?|too (?:much|little|high|low)",
    "fr": r"plus de|plus que|moins de|moins que|au moins|au plus|au-dessus|au-dessous|en dessous|la plupart|"
          r"majorit[ée]|minorit[ée]|moiti[ée]|tiers|quart|double|triple|deux fois|assez|suffi(?:sant|t)e?s?|"
          r"insuffisante?s?|d[ée]passe|trop",
    "de": r"mehr als|weniger als|über|unter|mindestens|höchstens|meisten|mehrheit|minderheit|hälfte|drittel|"
          r"viertel|doppelt|dreimal|genug|reicht|übersteigt|zu (?:viel|wenig|hoch|niedrig)",
    "es": r"más de|más que|menos de|menos que|al menos|como mucho|por encima|por debajo|mayoría|minoría|mitad|"
          r"tercio|cuarto|doble|triple|suficiente|insuficiente|supera|demasiado",
}
_SCENARIO = re.compile(r"\{scenario:([^{}|\n]+)[^{}\n]*\}")
_DIRECTIVE = re.compile(r"\{[a-z]+:[^{}\n]*\}")
_SENTENCE = re.compile(r"(?:[^.!?]|\.(?=\d))+[.!?]*")


def _pattern(language: str) -> re.Pattern | None:
    code = language.lower().replace("_", "-").split("-")[0]
    return re.compile(rf"(?<!\w)(?:{_CLAIMS[code]})(?!\w)", re.IGNORECASE) if code in _CLAIMS else None


def check(lines, path: str, language: str) -> list[Diagnostic]:
    """`scenario-claim` for each sentence with a scenario value and comparing words, at the first of
    them. `lines`: (line number, text) of the prose."""
    claims = _pattern(language)
    if claims is None:
        return []
    problems = []
    for number, line in lines:
        if "{scenario:" not in line:
            continue
        for sentence in _SENTENCE.finditer(line):
            scenario = _SCENARIO.search(sentence.group(0))
            if scenario is None:
                continue
            words = _DIRECTIVE.sub(lambda m: " " * len(m.group(0)), sentence.group(0))
            found = list(claims.finditer(words))
            if found:
                said = ", ".join(f"'{claim.group(0)}'" for claim in found)
                problems.append(warning(
                    "scenario-claim", f"{said} stay{'s' if len(found) == 1 else ''} written while "
                    f"{{scenario:{scenario.group(1)}}} moves with the reader's values: at some of them the "
                    "sentence says something false",
                    SourceLocation(path, number, sentence.start() + found[0].start() + 1),
                    "give the value alone (\"your rent takes {scenario:…} of the pay\") and leave the judgement "
                    "to the reader, or make the claim about the published figure, {fact:…}, in a paragraph of "
                    "its own"))
    return problems
