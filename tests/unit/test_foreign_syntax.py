"""Other tools' Markdown (Quarto, Closeread, Hugo, Jekyll, notebooks): each construct is named at its
line with what to write instead, and an HTML comment is never published."""
from __future__ import annotations

from broadsheet import markup
from broadsheet.foreign_syntax import foreign_divs, scan_foreign_syntax, without_comments

TEXT = """## Rents

::: {.callout-note}
A note with `:::` in code.
:::

Rents rose, as @fig-rents shows; $x^2$ is math but $15 to $20 is money. Mail me at a@fig-x.org.

{{< include _data.qmd >}} and {% raw %}

```{python}
#| echo: false
import altair as alt
```

```python
<div>code is code</div> @fig-not-prose
```

A <span class="x">tag</span> and an autolink <https://example.org>.

::: steps pay
::: step alt="A state."
Text.
::: step alt="A state."
More.
:::
"""


def codes(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.column) for d in scan_foreign_syntax(text, "s.md", offset)]


def test_each_construct_is_named_at_its_line_and_column():
    assert codes(TEXT) == [
        ("markdown-foreign-block", 3, 1),
        ("markdown-cross-reference", 7, 16),
        ("markdown-math", 7, 34),
        ("markdown-shortcode", 9, 1),
        ("markdown-shortcode", 9, 31),
        ("markdown-code-chunk", 11, 1),
        ("markdown-html", 20, 3),
        ("markdown-html", 20, 22),
    ]
    assert codes("plain text, $5 and $6, 3 < 4 > 2", 10) == []
    assert codes("::: {.callout-tip}\nx\n:::\n", 10)[0][1] == 11  # the front matter's lines come first


def test_only_other_tools_fences_are_dropped_and_steps_keep_their_own():
    lines = TEXT.split("\n")
    dropped = sorted(foreign_divs(lines))
    assert [lines[i] for i in dropped] == ["::: {.callout-note}", ":::"] and dropped == [2, 4]
    nested = [":::: {.columns}", "::: {.column}", "a", ":::", "::::"]
    assert foreign_divs(nested) == {0, 1, 3, 4}
    blocks, problems = markup.scan_steps(TEXT, "s.md", 0)
    assert problems == [] and len(blocks) == 1 and len(blocks[0].steps) == 2


def test_a_comment_is_taken_out_and_every_later_line_keeps_its_number():
    text = "a <!-- note 12\nsecond line --> b\n<!-- x -->\n`<!-- shown -->`\n```\n<!-- code -->\n```\nlast"
    out = without_comments(text)
    assert out.split("\n") == ["a ", " b", "", "`<!-- shown -->`", "```", "<!-- code -->", "```", "last"]
    assert without_comments("no comment") == "no comment"
    assert "12" not in without_comments(text) and markup.scan_bare_numbers(out, "s.md", 0) == []


def test_the_rendered_page_has_no_fence_lines_nor_comments():
    render = markup.make_renderer(lambda key, style: key, lambda chart: "")
    html = render(without_comments("::: {.callout-note}\nKept.\n:::\n\n<!-- hidden -->\nShown."))
    assert "Kept." in html and "Shown." in html and ":::" not in html and "hidden" not in html


def test_an_image_without_a_description_is_named():
    found = markup.scan_images("![](media/a.png) and ![ ](media/b.png)\n`![](code)`\n![Une photo](media/c.png)", "s.md", 2)
    assert [(d.code, d.location.line, d.location.column) for d in found] == [("image-no-alt", 3, 1), ("image-no-alt", 3, 22)]


PORTED = """Asides [an aside]{.aside} and ![A map](media/m.png){fig-align="center"} too.
## Margins {#sec-margins}
`note`{: #note }, and [@cr-map]{pan-to="70%,-10%" scale-by="2.1"} then {fact:cars}.
More than \\$${d3.format(",~r")(total)} billion from its ${n} leading exporters, `${code}`.
[:octicons-file-code-24: Source](https://example.org)
"""


def test_attribute_blocks_expressions_and_icons_are_named_and_their_numbers_are_no_bare_numbers():
    assert codes(PORTED) == [
        ("markdown-attributes", 1, 18),
        ("markdown-attributes", 1, 52),
        ("markdown-attributes", 2, 12),
        ("markdown-cross-reference", 3, 24),
        ("markdown-attributes", 3, 7),
        ("markdown-attributes", 3, 32),
        ("markdown-expression", 4, 13),
        ("markdown-expression", 4, 57),
        ("markdown-shortcode", 5, 2),
    ]
    assert [d.code for d in scan_foreign_syntax("{fact:cars} and {literal:12 {x}} cost $5 and {js:Drag it.}", "s.md", 0)] == []
    assert markup.scan_bare_numbers("[@cr-map]{pan-to=\"70%,-10%\" scale-by=\"2.1\"} and ${n * 60}", "s.md", 0) == []


def test_mkdocs_folded_boxes_and_tabs_are_drawn_as_boxes_not_as_code():
    text = '??? note\n\n    Folded text.\n\n???+ tip "Open"\n    Open text.\n\n=== "Python"\n\n    Tab text.\n\n```\n??? kept\n```\n'
    assert [(d.code, d.location.line) for d in scan_foreign_syntax(text, "s.md", 0)] == [
        ("markdown-foreign-block", 1), ("markdown-foreign-block", 5), ("markdown-foreign-block", 8)]
    html = markup.make_renderer(lambda key, style: key, lambda chart: "")(text)
    assert html.count('<div class="admonition') == 3 and "<pre><code>Folded" not in html and "Tab text." in html
    assert ">Open<" in html and ">Python<" in html and "??? kept" in html and "???" not in html.replace("??? kept", "")


def test_a_backslash_escapes_any_mark_as_in_pandoc_and_never_opens_a_tag():
    html = markup.make_renderer(lambda key, style: key, lambda chart: "")(
        "It cost \\$15, see option\\[\\^1\\], \\<script> and a \\| b.")
    assert "It cost $15" in html and "option[^1]" in html and "\\" not in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_a_title_heading_and_a_definition_list_are_named():
    text = "# Food imports to the United States\n\n## A section\n\n`note`\n:   The default type.\n\n    # code\n"
    assert [(d.code, d.location.line) for d in scan_foreign_syntax(text, "s.md", 2)] == [
        ("markdown-title-heading", 3), ("markdown-foreign-block", 8)]
    assert codes("::: steps pay\n::: step alt=\"A.\"\nText: here.\n") == []


def test_one_letter_math_and_an_interval_are_math_but_money_is_not():
    assert codes("for $x$ in $[a, b]$: it cost $5 or $6, US$ 5, A$B$") == [
        ("markdown-math", 1, 5), ("markdown-math", 1, 12)]


def test_an_observable_js_cell_is_named_but_plain_javascript_is_code():
    text = ("```js\nconst raw = FileAttachment(\"./data/a.csv\").csv();\n```\n\n"
            "```js echo\nview(Inputs.range([0, 1]))\n```\n\n```js\nconst x = 1;\n```\n\n"
            "```javascript\nPlot.plot({})\n```\n\n```js\n// comment\n```\nPlot.plot() in prose\n")
    assert [(d.code, d.location.line) for d in scan_foreign_syntax(text, "s.md", 0)] == [("markdown-code-chunk", 1)]


def test_a_pandoc_citation_is_named_but_a_handle_link_an_address_and_a_cross_reference_are_not():
    assert codes("As found [@smith2020], [see @doe99, p. 33; @roe] and [-@smith].") == [
        ("markdown-citation", 1, 10), ("markdown-citation", 1, 24), ("markdown-citation", 1, 54)]
    assert [c for c, _, _ in codes("[@user](https://x.com/user), a@b.org, [@fig-x], [at @ noon], `[@k]`")] == [
        "markdown-cross-reference"]


def test_past_three_html_tags_one_warning_lists_the_lines_of_the_rest():
    text = "\n".join(f'<div class="card">Card {n}</div>' for n in range(1, 7))
    found = scan_foreign_syntax(text, "s.md", 0)
    assert [d.location.line for d in found] == [1, 1, 2, 2]
    assert found[-1].message == "9 more HTML tags are shown as text, on lines 2, 3, 4, 5, 6"
    assert len(scan_foreign_syntax("<b>a</b> <i>b</i>", "s.md", 0)) == 4  # four: each named


def test_a_first_heading_that_repeats_the_title_is_found_and_no_other_is():
    from broadsheet.foreign_syntax import repeated_title_line
    assert repeated_title_line("\n\n# Food *imports*, 2020\n\nText.", "Food imports 2020") == 2
    assert repeated_title_line("Text first.\n\n# Food imports", "Food imports") is None
    assert repeated_title_line("# Another title\n", "Food imports") is None
    assert repeated_title_line("## Food imports\n", "Food imports") is None


def test_a_backslash_ending_a_line_breaks_it_as_in_commonmark_but_not_at_a_paragraph_end_nor_in_code():
    html = markup.make_renderer(lambda key, style: key, lambda chart: "")(
        "Line one\\\nline two\n\nLast\\\n\n    code\\\n    more\n")
    assert "<p>Line one<br>\nline two</p>" in html and "<p>Last\\</p>" in html and "code\\\nmore" in html


def test_an_observable_cell_that_only_imports_is_named():
    text = '```js\nimport * as d3 from "npm:d3";\n```\n\n```js\nimport x from "./lib.js";\n```\n'
    assert [(d.code, d.location.line) for d in scan_foreign_syntax(text, "s.md", 0)] == [("markdown-code-chunk", 1)]


def test_quarto_and_pandoc_inline_syntax_is_named_where_it_was_silent():
    """Found pasting a Quarto story: each of these was shown as written, without a word."""
    text = ('Rents rose `{python} f"{rise:.0f}"` percent.\n'
            "Where $r > 0.3$ and \\(x^2\\) or \\[y = 2x\\]; between $5 and $10 is money.\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Share of income {#tbl-summary}\n\n"
            "A note^[An inline note], ~~struck~~, H~2~O and 2^10^, `a^b^` in code.\n- [ ] a task\n")
    from broadsheet import foreign_syntax

    found = [(p.code, p.location.line, p.location.column) for p in foreign_syntax.scan_foreign_syntax(text, "s.md", 0)]
    assert found == [("markdown-code-chunk", 1, 12), ("markdown-math", 2, 7), ("markdown-math", 2, 21),
                     ("markdown-math", 2, 32), ("markdown-foreign-block", 7, 1), ("markdown-extension", 9, 7),
                     ("markdown-extension", 9, 26), ("markdown-extension", 9, 39), ("markdown-extension", 9, 49),
                     ("markdown-extension", 10, 1)]
