"""English prose gets curly quotes and apostrophes, as French prose gets its spaces; never inside
code, addresses or HTML attributes."""
from broadsheet import markup, typography


def html(text: str, language: str = "en") -> str:
    return markup.render(text, lambda key, style: key, lambda chart: "", typography.for_language(language))


def test_straight_quotes_in_english_prose_become_curly():
    out = html("It's \"quoted\", 'single' and *it*'s the '90s.")
    assert out == "<p>It\u2019s \u201cquoted\u201d, \u2018single\u2019 and <em>it</em>\u2019s the \u201990s.</p>"


def test_code_addresses_and_attributes_keep_their_straight_quotes():
    out = html('Type `print("hi")` or see <https://example.org/?q="a">, [a "link"](https://x.org/\'p\' "It\'s").\n\n'
               '```\nsay "no"\n```\n')
    assert '<code>print("hi")</code>' in out or "<code>print(&quot;hi&quot;)</code>" in out
    assert "https://example.org/?q=" in out and "\u201ca\u201d" not in out.split("see")[1].split("</a>")[0]
    assert "\u201clink\u201d" in out and "x.org/'p'" in out.replace("&#x27;", "'")
    assert 'title="It\'s"' in out.replace("&#x27;", "'") or "title=\"It&#39;s\"" in out
    assert 'say "no"' in out or "say &quot;no&quot;" in out


def test_other_languages_are_left_alone():
    assert "\u201c" not in html('Er sagt "ja".', "de") and typography.for_language("de") is None
    assert typography.for_language("en-GB") is typography.english
