"""French typography (and English quotes, see `english`): the spaces French wants around `; : ! ?`, inside « guillemets » and
between a date's day and its month.

French sets a narrow no-break space (U+202F) before `;`, `!` and `?`, a no-break space (U+00A0)
before `:` and inside « guillemets » (the Imprimerie nationale's rules; Babel and our interface
words use the same). Authors type an ordinary space, or none: an ordinary space lets the line
break before the mark, which leaves a lone `?` or `»` at the start of a line.

The functions here work on plain text: the Markdown renderer applies them to the text of the
document tree (never to code, attributes or stashed HTML), and the templates to titles, deks,
captions and notes. Web addresses are left alone, and so are marks not followed by a space
(`10:30`, `https://`, `?q=1`, `;)`), which are not prose punctuation.
"""
from __future__ import annotations

import re
from typing import Callable

NBSP = "\u00a0"
NNBSP = "\u202f"
_WS = "[ \t\n\r\u00a0\u202f\u2009]"  # spaces an author may have typed (or Babel put) there
_PROTECTED = re.compile(
    # addresses; an e-mail address is tried only where a run of its characters starts, and its
    # parts never give back what they took (possessive): linear in the text, even in one long word
    r"(?:https?|ftp)://\S+|mailto:\S+|www\.\S+|(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.-]+"
    r"|\x02[^\x02\x03]*\x03")  # Python-Markdown's placeholders (stashed HTML, escaped characters)

_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_RULES: tuple[tuple[re.Pattern, str], ...] = (
    # the space typed before ; ! ? becomes a narrow no-break space
    (re.compile(rf"(?<=\S){_WS}+(?=[;!?])"), NNBSP),
    # none typed: add one after a word, a number, a closing mark (not inside ?! or !!!, nor "(?)")
    (re.compile(r"(?<=[^\s!?;:(\[«\u00a0\u202f])(?=[;!?](?:[\s»)\]\"'’.,…!?]|$))"), NNBSP),
    # before a colon that ends a clause (followed by a space or the end): a no-break space
    (re.compile(rf"(?<=\S){_WS}+(?=:(?:\s|$))"), NBSP),
    (re.compile(r"(?<=[^\s:(\[«\u00a0\u202f])(?=:(?:\s|$))"), NBSP),
    # inside guillemets: a no-break space, whether the author typed a space or not
    (re.compile(rf"«{_WS}*"), "«" + NBSP),
    (re.compile(rf"(?<=\S){_WS}+»"), NBSP + "»"),
    (re.compile(r"(?<=[^\s\u00a0\u202f«])»"), NBSP + "»"),
    # a date's day stays with its month: le 30 novembre, le 1er mai
    (re.compile(rf"(?<![\d.,])(\d{{1,2}}(?:er)?){_WS}+(?=(?:{_MONTHS})\b)", re.IGNORECASE), r"\1" + NBSP),
)


def french(text: str, before: str = " ") -> str:
    """`text` with French spaces. `before` is the character that precedes it on the page (the end
    of the previous piece of text), so `<em>vrai</em>?` also gets its space before `?`."""
    if not text:
        return text
    out = []
    previous = before[-1:] or " "
    position = 0
    for match in _PROTECTED.finditer(text):
        if match.start() > position:
            out.append(_french_piece(text[position:match.start()], previous))
        out.append(match.group(0))
        previous = match.group(0)[-1]
        position = match.end()
    if position < len(text):
        out.append(_french_piece(text[position:], previous))
    return "".join(out)


def _french_piece(piece: str, previous: str) -> str:
    # The previous character is put in front so the rules see it, then taken off again: no rule
    # changes or removes the first character (they all look behind a non-space, or keep «).
    text = previous + piece
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text[1:]


# English quotes: a straight quote typed after a space, an opening bracket or dash (or at the start)
# opens; anywhere else it closes, or is an apostrophe (it’s, the ’90s, rock ’n’ roll).
_OPENS_AFTER = r"(?<=[\s(\[{\u2014\u2013\u201c\u2018\u00a0\u202f])"
_ENGLISH_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(_OPENS_AFTER + r"'(?=\d\ds\b|n\u2019|n')"), "\u2019"),  # the ’90s, ’n’ (elided letters)
    (re.compile(_OPENS_AFTER + '"'), "\u201c"),
    (re.compile('"'), "\u201d"),
    (re.compile(_OPENS_AFTER + "'"), "\u2018"),
    (re.compile("'"), "\u2019"),
)


def english(text: str, before: str = " ") -> str:
    """`text` with curly quotes and apostrophes (“ ” ‘ ’) for the straight ones an author typed.
    `before` is the character that precedes it on the page: `<em>it</em>'s` gets an apostrophe."""
    return _apply(text, before, _ENGLISH_RULES)


def _apply(text: str, before: str, rules) -> str:
    """The rules applied to the text outside addresses and Markdown's placeholders."""
    if not text:
        return text
    out = []
    previous = before[-1:] or " "
    position = 0
    for match in _PROTECTED.finditer(text):
        if match.start() > position:
            out.append(_piece(text[position:match.start()], previous, rules))
        out.append(match.group(0))
        previous = match.group(0)[-1]
        position = match.end()
    if position < len(text):
        out.append(_piece(text[position:], previous, rules))
    return "".join(out)


def _piece(piece: str, previous: str, rules) -> str:
    text = previous + piece  # the previous character in front, for the rules to see, then taken off
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text[1:]


def for_language(language: str) -> Callable[[str, str], str] | None:
    """The typography function for a story language, or None when it needs none."""
    base = language.lower().split("-")[0].split("_")[0]
    return french if base == "fr" else english if base == "en" else None


def plain(language: str) -> Callable[[str], str]:
    """For templates: text -> text in the language's typography (unchanged when it has none)."""
    function = for_language(language)
    if function is None:
        return lambda text: text
    return lambda text: function(text) if isinstance(text, str) else text


# French ordinals: 1er, 1re, 2e, XIXe (the Imprimerie nationale's abbreviations), their letters set
# as superior letters. In an element the stylesheet capitalises (a status line, a label), the
# letters keep their case: "1ER" reads as nothing.
_ORDINAL = re.compile(r"(?<![\w.,\u2212-])(\d{1,4}|[IVX]{1,6})(ers|res|er|re|es|e)(?![\w-])")
_NOT_TEXT = re.compile(r"<(script|style|pre|code|textarea|title|kbd|samp)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[^>]*>",
                       re.S | re.I)


def ordinals_html(page: str) -> str:
    """A French page's HTML with each ordinal's letters in `<sup class="ordinal">`, in its text only
    (never in tags, attributes, scripts, code or the window's title)."""
    out = []
    position = 0
    for match in _NOT_TEXT.finditer(page):
        out.append(_ORDINAL.sub(r'\1<sup class="ordinal">\2</sup>', page[position:match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_ORDINAL.sub(r'\1<sup class="ordinal">\2</sup>', page[position:]))
    return "".join(out)
