"""Words that only make sense with JavaScript: a chart's controls (choices, sliders, tooltips)
exist only in the live view, so a sentence telling readers to use them ("Choisissez un lieu sous
le graphique") is noise, or a broken promise, on a page read without it.

Authors mark such words `{js:…}`, in prose and in a chart's CAPTION: the page prints them in an
element the stylesheet hides when scripting is off (`@media (scripting: none)`, so nothing moves
when the page loads with it on). The build warns (`words-need-js`) about a sentence that tells
readers to use a control outside such a mark: an imperative verb of the kind and, in the same
sentence, a word naming a control or the chart, in the languages listed here (others are not
read).
"""
from __future__ import annotations

import html
import re
from typing import Iterable

from .diagnostics import Diagnostic, SourceLocation, warning

JS_PART = re.compile(r"\{js:([^{}\n]*)\}")
# Directives whose text is a name, never words a reader sees: `{chart:select-a-region}` is no sentence.
_NAMES = re.compile(r"\{(?:chart|fact|scenario):[^{}\n]*\}")
_VERBS = {
    "fr": r"choisissez|s[ée]lectionnez|cliquez|touchez|survolez|faites glisser|d[ée]placez|utilisez|passez",
    "en": r"choose|select|pick|click|tap|hover|drag|move|slide|use|toggle",
    "de": r"w[äa]hlen sie|klicken sie|tippen sie|ziehen sie|bewegen sie|nutzen sie|verschieben sie|fahren sie",
}
_THINGS = {
    "fr": r"graphique|curseurs?|boutons?|menu|carte|cases?|liste|souris|pointeur|doigt|ci-dessous|l[ée]gende",
    "en": r"chart|graphic|sliders?|buttons?|menu|map|box|list|mouse|pointer|below|legend",
    "de": r"grafik|diagramm|schieberegler|schaltfl[äa]che|men[üu]|karte|maus|unten|legende",
}
_SENTENCE = re.compile(r"[^.!?…]*(?:[.!?…]+|$)")


def _pattern(language: str) -> tuple[re.Pattern, re.Pattern] | None:
    code = language.lower().replace("_", "-").split("-")[0]
    if code not in _VERBS:
        return None
    return (re.compile(rf"(?<!\w)(?:{_VERBS[code]})(?!\w)", re.IGNORECASE),
            re.compile(rf"(?<!\w)(?:{_THINGS[code]})(?!\w)", re.IGNORECASE))


def addressed(text: str, language: str) -> Iterable[int]:
    """Offsets in `text` of the sentences that tell readers to use a control, outside `{js:…}`."""
    pattern = _pattern(language)
    if pattern is None:
        return []
    verbs, things = pattern
    plain = _NAMES.sub(lambda m: " " * len(m.group(0)), JS_PART.sub(lambda m: " " * len(m.group(0)), text))
    found = []
    for sentence in _SENTENCE.finditer(plain):
        verb = verbs.search(sentence.group(0))
        if verb and things.search(sentence.group(0)):
            found.append(sentence.start() + verb.start())
    return found


def check(texts: Iterable[list[tuple[str, int, int]]], path: str, language: str, what: str) -> list[Diagnostic]:
    """`words-need-js` for each sentence that addresses a control outside `{js:…}`. A text is a list
    of pieces (words, line, column of their first character) read as one: the string literals a
    caption is written in, or one line of prose. `what` names the text ("this sentence")."""
    problems = []
    for pieces in texts:
        joined = "".join(words for words, _, _ in pieces)
        for offset in addressed(joined, language):
            start = 0
            for words, line, column in pieces:  # the piece the sentence's verb is in
                if offset < start + len(words):
                    break
                start += len(words)
            before = words[:offset - start]
            where = SourceLocation(path, line + before.count("\n"),
                                   (len(before) - before.rfind("\n")) if "\n" in before else column + len(before))
            problems.append(warning("words-need-js", f"{what} tells readers to use a chart's control, which readers "
                                    "without JavaScript do not have", where,
                                    "mark the sentence as shown only with JavaScript: {js:…the sentence…}"))
    return problems


def to_html(escaped: str) -> str:
    """Text already escaped for HTML, with each `{js:…}` part in a span shown only with JavaScript."""
    return JS_PART.sub(lambda m: f'<span class="js-only">{m.group(1)}</span>', escaped)


def plain(text: str, keep: bool = False) -> str:
    """The text without its `{js:…}` marks: their words kept (`keep`) or left out."""
    return re.sub(r"\s{2,}", " ", JS_PART.sub(lambda m: m.group(1) if keep else "", text)).strip()


def escape_html(text: str) -> str:
    """Plain text -> HTML, JavaScript-only parts marked."""
    return to_html(html.escape(text, quote=False))
