"""What other tools' Markdown means that Broadsheet's does not: said at file:line, never published as
if it were prose.

A story written for Quarto, Closeread, Hugo, Jekyll, MkDocs or a notebook carries syntax that
Python-Markdown (with authors' HTML switched off) would print as text: `::: {.callout-note}` fences,
`{{< shortcodes >}}`, `@fig-x` cross-references, ```{python} chunks that are never run, `$x^2$`
math, raw `<div>` tags. Each gets a warning that says what to write instead. HTML comments are the
exception: an editor's note in `<!-- … -->` is meant for no reader, so it is taken out of the text
(its lines kept, blank, so every later line keeps its number), never shown.
"""
from __future__ import annotations

import re

from .diagnostics import Diagnostic, SourceLocation, warning

FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})\s*\{\s*([A-Za-z][\w.-]*)")  # ```{python}, ```{r echo=FALSE}
# A Pandoc/Quarto fenced div: `::: {.callout-note}`, `:::: {.columns}`, `::: callout-tip`, `:::{#id}`;
# `::: steps` and `::: step` are Broadsheet's own, and a bare `:::` closes.
DIV_OPEN = re.compile(r"^(:{3,})\s*(\{[^}]*\}|(?!steps?\b)[A-Za-z][\w.-]*)\s*(?:\{[^}]*\})?\s*$")
DIV_CLOSE = re.compile(r"^:{3,}\s*$")
SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}")
# A Pandoc citation in brackets: `[@smith2020]`, `[see @doe99, p. 33; @roe]`, `[-@smith]`; never a link's
# text (`[@user](…)`), an address (`a@b.org`) nor a Quarto cross-reference (CROSS_REFERENCE names those).
CITATION = re.compile(r"\[(?:[^\[\]\n]*?[\s;])?-?@(?!(?:fig|tbl|sec|eq|lst|cr)-)[A-Za-z_][\w:.#$%&+?<>~/-]*"
                      r"[^\[\]\n]*\](?![(\[{])")
CROSS_REFERENCE = re.compile(r"(?<![\w@.])@(fig|tbl|sec|eq|lst|cr|thm|lem|def|exm|exr|nte|tip|wrn|imp|cau)-[\w-]+")
MATH = re.compile(r"(?<!\\)\$\$(?!\{)|(?<![\w$\\])\$(?:[A-Za-z]|\[[^$\n]*\])\$(?![\w$])|(?<![\w$])\$(?=[^\s${])[^$\n]*[\\^_{}][^$\n]*(?<=\S)\$(?![\w$])"
                  # `$r > 0.3$` (a letter, then a comparison); LaTeX's `\(x^2\)` and `\[y = 2x\]`, whose
                  # backslashes the Markdown would drop
                  r"|(?<![\w$])\$[A-Za-z][^$\n]*?[=<>≤≥≠][^$\n]*?(?<=\S)\$(?![\w$])|\\\(.+?\\\)|\\\[.+?\\\]")
# Quarto's and R Markdown's inline code, run by them to print a number: `{python} f"{x:.0f}"`, `r nrow(df)`
INLINE_CHUNK = re.compile(r"`\{(?:python|r|julia|ojs)\}[^`\n]*`|`r [^`\n]+`")
TABLE_CAPTION = re.compile(r"^ {0,3}(?:Table)?:[ \t]+\S")  # Pandoc's caption under a table
TASK = re.compile(r"^[ \t]*[-*+][ \t]+\[[ xX]\][ \t]")  # GitHub's task list
INLINE_NOTE = re.compile(r"\^\[[^\]\n]+\]")  # Pandoc's inline footnote
STRIKE = re.compile(r"~~[^~\n]+~~")
SUB_SUPER = re.compile(r"(?<=\w)~[^~\s]{1,10}~|(?<=\w)\^(?!\[)[^\^\s\[]{1,10}\^")  # H~2~O, 2^10^
HTML_TAG = re.compile(
    r"</?(?:div|span|p|br|hr|img|iframe|script|style|figure|figcaption|details|summary|section|aside|a|b|i|u|em|"
    r"strong|sup|sub|small|mark|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|blockquote|video|audio|source|center|"
    r"font|cite|abbr|kbd|code|pre)\b[^>]*>", re.IGNORECASE)
# Pandoc/Quarto, kramdown and MkDocs attribute blocks: `[text]{.aside}`, `![](a.png){fig-align="center"}`,
# `## Title {#sec-x}`, `{: .class }`, Closeread's `[@cr-map]{pan-to="70%,-10%"}`. Never `{fact:key}`.
_ATTRIBUTE = r"""(?:[.#][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']+))"""
ATTRIBUTES = re.compile(r"\{:?[ \t]*" + _ATTRIBUTE + r"(?:[ \t]+" + _ATTRIBUTE + r")*[ \t]*\}")
EXPRESSION = re.compile(r"(?<!\\)\$\{[^}\n]{0,40}\}?")  # Observable Framework's inline `${n}`
ICON = re.compile(r":(?:octicons|material|fontawesome|simple|twemoji)-[\w-]+:")  # MkDocs Material's icons
# MkDocs Material's collapsible boxes (`??? note`, `???+ tip "Title"`) and content tabs (`=== "Python"`):
# their indented text would read as code. They are drawn as Broadsheet's boxes (`!!! note "Title"`).
MKDOCS_BLOCK = re.compile(r'^(\?\?\?\+?|===)[ \t]+(?:([\w-]+(?:[ \t]+[\w-]+)*)[ \t]*)?(?:"([^"\n]*)")?[ \t]*$')
TITLE_HEADING = re.compile(r"^ {0,3}#[ \t]+\S.*$")  # `# Title`, as Jekyll, MkDocs and Observable pages start
DEFINITION = re.compile(r"^ {0,3}:[ \t]{1,4}\S")  # `:   the definition`, under its term
OBSERVABLE_FENCE = re.compile(r"^(`{3,}|~{3,})[ \t]*js\b(?![^\n]*\becho\b)")  # ```js runs; ```js echo shows
OBSERVABLE_API = re.compile(r"\b(?:FileAttachment\(|Inputs\.\w|Plot\.\w|Generators\.\w|view\(|display\(|resize\()"
                            r"""|\bfrom\s+["'](?:npm:|jsr:|observablehq:|\./components/)""")  # its imports
COMMENT = re.compile(r"<!--.*?-->", re.S)
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
FENCE = re.compile(r"^(`{3,}|~{3,})")

CALLOUT_HINT = ("Broadsheet's only `:::` blocks are `::: steps <chart>` and its `::: step` lines; "
                "the lines inside are kept as plain paragraphs. For a callout, write `!!! note \"Title\"` and indent "
                "its text by four spaces; "
                "for a Closeread section (`.cr-section`), write `::: steps <chart id>` with one `::: step` a state")


def without_comments(text: str) -> str:
    """The text with its HTML comments taken out (outside code), newlines kept in their place."""
    if "<!--" not in text:
        return text
    out, fenced_by = [], None
    parts = re.split(r"(\n)", text)
    # Work line by line for fences, but let a comment span lines: join the prose runs between fences.
    run: list[str] = []

    def flush() -> None:
        out.append(_outside_code_spans("".join(run)))
        run.clear()

    for part in parts:
        fence = FENCE.match(part)
        if fenced_by is None and fence:
            flush()
            fenced_by = fence.group(1)[0]
            out.append(part)
        elif fenced_by is not None:
            if fence and fence.group(1)[0] == fenced_by:
                fenced_by = None
            out.append(part)
        else:
            run.append(part)
    flush()
    return "".join(out)


def _outside_code_spans(chunk: str) -> str:
    """Comments inside a code span (`<!-- -->` written to show it) stay: they are hidden from COMMENT."""
    kept, last = [], 0
    for span in CODE_SPAN.finditer(chunk):
        kept.append(chunk[last:span.start()])
        kept.append(span.group(0).replace("<!--", "<\x00!--"))
        last = span.end()
    kept.append(chunk[last:])
    text = "".join(kept)
    return COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text).replace("<\x00!--", "<!--")


def _outside_code(lines: list[str]):
    """(index, line, True when the line opens a code fence) for each line not inside a fenced code
    block; the opening fence line is given (a notebook's chunk is named on it), its body and its
    closing line are not."""
    fenced_by = None
    for index, line in enumerate(lines):
        fence = FENCE.match(line)
        if fenced_by is not None:
            if fence and fence.group(1)[0] == fenced_by:
                fenced_by = None
            continue
        if fence:
            fenced_by = fence.group(1)[0]
        yield index, line, bool(fence)


def foreign_divs(lines: list[str]) -> set[int]:
    """Indexes of the fence lines of other tools' fenced divs (their opening and matching closing
    lines) outside code fences: the renderer drops them, and the steps' scan leaves them alone."""
    found: set[int] = set()
    stack: list[int] = []  # for each open div: its line, or -1 for a steps block
    for index, line, opens_code in _outside_code(lines):
        if opens_code:
            continue
        if DIV_OPEN.match(line):
            stack.append(index)
            found.add(index)
        elif re.match(r"^:::\s*steps\b", line):
            stack.append(-1)
        elif DIV_CLOSE.match(line) and stack:
            opened = stack.pop()
            if opened >= 0:
                found.add(index)
    return found


def scan_foreign_syntax(text: str, path: str, line_offset: int) -> list[Diagnostic]:
    """Warnings for other tools' syntax in a Markdown text (after its comments are taken out)."""
    problems: list[Diagnostic] = []
    lines = text.split("\n")
    divs = foreign_divs(lines)
    for index, line, opens_code in _outside_code(lines):
        number = index + 1 + line_offset
        if opens_code:
            if _observable_cell(lines, index):
                problems.append(warning(
                    "markdown-code-chunk", "this ```js block is an Observable Framework cell: it is not run, its "
                    "code is shown to readers", SourceLocation(path, number, 1),
                    "a chart is a file of charts/ (Altair in a .py, or Vega-Lite in a .vl.json), placed with "
                    "{chart:<id>}; its inputs are the chart's params; a number is a fact, {fact:<key>}; "
                    "delete the block, or keep it as ```javascript to show code"))
                continue
            chunk = FENCE_OPEN.match(line)
            if chunk:
                problems.append(warning(
                    "markdown-code-chunk", f"a `{{{chunk.group(2)}}}` code chunk is not run: it is shown as code",
                    SourceLocation(path, number, 1),
                    "a chart is a file of charts/ (Altair in a .py, or Vega-Lite in a .vl.json), placed with "
                    "{chart:<id>}; a number is a fact of facts.yaml, written {fact:<key>}; to show code, "
                    "write the fence as ```python"))
            continue
        if index in divs and DIV_OPEN.match(line):
            problems.append(warning("markdown-foreign-block", f"`{line.strip()}` is another tool's block "
                                    "(Pandoc, Quarto): its fence lines are left out", SourceLocation(path, number, 1),
                                    CALLOUT_HINT))
            continue
        for chunk in INLINE_CHUNK.finditer(line):
            problems.append(warning(
                "markdown-code-chunk", f"`{chunk.group(0).strip('`')[:40]}` is inline code Quarto or R Markdown runs: it is not "
                "run here, it is shown as code", SourceLocation(path, number, chunk.start() + 1),
                "a computed number is a fact: compute it in facts.yaml (a formula:, or a query: of the story's "
                "data) and write {fact:<key>}"))
        if TABLE_CAPTION.match(line) and _after_table(lines, index):
            problems.append(warning(
                "markdown-foreign-block", "a line starting with `:` or `Table:` under a table is a Pandoc table "
                "caption: it is shown as a paragraph", SourceLocation(path, number, 1),
                "write the caption as a sentence before the table (in **bold** if you like); its {#tbl-…} label "
                "is not needed"))
            continue
        block = next(((match, say) for pattern, say in _LINE if (match := pattern.match(line))), None)
        if block:
            problems.append(block[1](block[0], SourceLocation(path, number, 1)))
            continue
        prose = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line.replace("\\`", "  "))
        for pattern, say in _INLINE:
            problems.extend(say(match.group(0).strip(), SourceLocation(path, number, match.start() + 1))
                            for match in pattern.finditer(prose))
    return _fold_html_tags(problems)


def _after_table(lines: list[str], index: int) -> bool:
    """Whether the line follows a table (its last row, or a blank line after it)."""
    before = [line for line in lines[max(0, index - 2):index] if line.strip()]
    return bool(before) and before[-1].lstrip().startswith("|")


HTML_TAGS_NAMED = 3  # a file's first HTML tags are named one by one; the rest in one warning, by line


def _fold_html_tags(problems: list[Diagnostic]) -> list[Diagnostic]:
    """A page written for Observable or a blog can hold dozens of `<div>` lines: past the first few,
    one warning lists the lines of the others, so the rest of the build's words stay readable."""
    tags = [d for d in problems if d.code == "markdown-html"]
    if len(tags) <= HTML_TAGS_NAMED + 1:
        return problems
    rest = tags[HTML_TAGS_NAMED:]
    lines = sorted({d.location.line for d in rest})
    shown = ", ".join(map(str, lines[:20])) + (", …" if len(lines) > 20 else "")
    folded = warning("markdown-html", f"{len(rest)} more HTML tags are shown as text, on lines {shown}",
                     rest[0].location, rest[0].hint)
    kept = [d for d in problems if d.code != "markdown-html" or d in tags[:HTML_TAGS_NAMED]]
    return kept + [folded]


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"[*_`#\\]|[^\w\s]", " ", text).casefold().split())


def repeated_title_line(text: str, title: str) -> int | None:
    """The index of the text's `# Title` line when it is the first thing in the text and says the
    story's title again (as a page written for Jekyll, MkDocs or Observable starts): readers would
    see the title twice, so the page leaves that line out."""
    for index, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        heading = TITLE_HEADING.match(line)
        if heading and "{" not in line and _comparable(line) and _comparable(line) == _comparable(title):
            return index
        return None
    return None


def _observable_cell(lines: list[str], index: int) -> bool:
    """A ```js fence (Observable Framework runs these and shows only their output) whose code calls
    Observable's own API before its closing fence."""
    opening = OBSERVABLE_FENCE.match(lines[index])
    if not opening:
        return False
    for line in lines[index + 1:]:
        if line.startswith(opening.group(1)[:3]) and not line.strip(opening.group(1)[0]).strip():
            return False
        if OBSERVABLE_API.search(line):
            return True
    return False


def _mkdocs_block(match: re.Match, where: SourceLocation) -> Diagnostic:
    what = "content tab" if match.group(1) == "===" else "collapsible box"
    return warning("markdown-foreign-block", f"`{match.group(0).strip()}` is MkDocs Material's {what}: it is drawn "
                   "as an open box, its text indented under it", where,
                   'write `!!! note "Title"` and indent its text by four spaces (Broadsheet\'s boxes are never '
                   "folded); for tabs, one box after the other")


def mkdocs_blocks_as_boxes(lines: list[str]) -> list[str]:
    """`??? note "Title"`, `???+ tip` and `=== "Tab"` (outside code) as `!!! note "Title"`, so that the
    text indented under them is a box's and not a block of code."""
    out = list(lines)
    for index, line, opens_code in _outside_code(lines):
        match = None if opens_code else MKDOCS_BLOCK.match(line)
        if match:
            kind = match.group(2) or "note"
            title = match.group(3) if match.group(3) is not None else ("" if match.group(1) == "===" else None)
            out[index] = f"!!! {kind}" + (f' "{title}"' if title is not None else "")
    return out


_LINE = (
    (MKDOCS_BLOCK, _mkdocs_block),
    (TITLE_HEADING, lambda match, where: warning(
        "markdown-title-heading", f"`{match.group(0).strip()[:60]}` is a level-1 heading: the page's title is the "
        "front matter's `title:`, so readers would see two titles", where,
        "remove the line when it repeats the title; for a section heading, write `## `")),
    (TASK, lambda match, where: warning(
        "markdown-extension", f"`{match.group(0).strip()}` is a task list's item (GitHub): its box is shown as text",
        where,
        "write a plain list: `- the item`")),
    (DEFINITION, lambda match, where: warning(
        "markdown-foreign-block", "a line starting with `: ` is a definition list (Pandoc, PHP Markdown Extra, "
        "MkDocs): it is shown as text, and the text indented under it as code", where,
        "write the term in **bold** on a line of its own, then its definition as a paragraph")),
)

_INLINE = (
    (SHORTCODE, lambda text, where: warning(
        "markdown-shortcode", f"`{text}` is another tool's shortcode (Hugo, Quarto, Jekyll): it is shown as text",
        where, "Broadsheet's directives are {fact:<key>}, {chart:<id>} and {literal:…}; paste an included "
               "file's text into a section of sections/ instead")),
    (CITATION, lambda text, where: warning(
        "markdown-citation", f"`{text}` is a Pandoc citation: it is shown as text, with no reference list",
        where, "write the source in words with a link, [the 2021 study](https://…), or as a footnote "
               "([^smith]) whose text gives the reference; a number's source belongs in facts.yaml")),
    (CROSS_REFERENCE, lambda text, where: warning(
        "markdown-cross-reference", f"`{text}` is a Quarto cross-reference: it is shown as text", where,
        "link to a chart with [the chart](#chart-<id>) or place it with {chart:<id>}; link to a section with "
        "[its heading](#<heading-id>)")),
    (MATH, lambda text, where: warning(
        "markdown-math", f"`{text}` looks like TeX math, which Broadsheet shows as written", where,
        "write the formula in words or plain characters (x², ≤, ×); a dollar amount is a fact: {fact:<key>}")),
    (ATTRIBUTES, lambda text, where: warning(
        "markdown-attributes", f"`{text}` is another tool's attribute block (Pandoc, Quarto, kramdown, MkDocs): it is "
        "shown as text", where, "remove it: the house style lays out the page; keep the words of a `[span]{.class}` "
        "without its brackets, write an aside as a footnote ([^note]); headings get their ids from their words")),
    (EXPRESSION, lambda text, where: warning(
        "markdown-expression", f"`{text}` is an Observable (JavaScript) expression: it is not run, and shown as text",
        where, "a number is a fact of facts.yaml, written {fact:<key>}; a chart is a file of charts/ (Altair or "
               "Vega-Lite), placed with {chart:<id>}; a control is a param of that chart")),
    (INLINE_NOTE, lambda text, where: warning(
        "markdown-extension", f"`{text[:40]}` is a Pandoc inline footnote: it is shown as text", where,
        "write a footnote: [^name] in the text, and `[^name]: the note` on a line of its own")),
    (STRIKE, lambda text, where: warning(
        "markdown-extension", f"`{text[:40]}` is struck-through text (Pandoc, GitHub): it is shown with its tildes",
        where, "for a correction, give it in the front matter's updates (the page says what was and what is); "
               "otherwise remove the tildes")),
    (SUB_SUPER, lambda text, where: warning(
        "markdown-extension", f"`{text}` is a Pandoc subscript or superscript: it is shown with its marks", where,
        "write the character itself: H₂O, m², 2¹⁰")),
    (ICON, lambda text, where: warning(
        "markdown-shortcode", f"`{text}` is an MkDocs Material icon: it is shown as text", where,
        "remove it, or write the word it stands for")),
    (HTML_TAG, lambda text, where: warning(
        "markdown-html", f"HTML tag `{text}` is shown as text: pages hold no author HTML", where,
        "write it in Markdown: **bold**, *italic*, [a link](https://…), ![alt text](media/photo.jpg), a quote "
        "with `> `; a chart is a file of charts/")),
)
