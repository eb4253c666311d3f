from broadsheet.diagnostics import SourceLocation, did_you_mean, error, summarize, warning


def test_render_is_compiler_style():
    d = error("fact-unknown", "unknown fact 'x'", SourceLocation("a.md", 3, 7), "did you mean 'y'?")
    assert d.render() == "a.md:3:7: error[fact-unknown]: unknown fact 'x'\n  hint: did you mean 'y'?"


def test_strict_turns_warnings_into_errors():
    w = warning("number-bare", "n", SourceLocation("a.md", 1))
    assert w.render(strict=True).startswith("a.md:1: error[number-bare]")
    assert summarize([w], strict=True, wrote=False) == "1 error in 1 file (nothing was written)"
    assert summarize([w], strict=False, wrote=False) == "1 warning in 1 file"


def test_did_you_mean():
    assert did_you_mean("contractor", ["contractors", "wage"]) == "did you mean 'contractors'? "
    assert did_you_mean("zzz", ["contractors"]) == ""
