from broadsheet import yamlmap


def test_lines_of_keys_with_offset():
    result = yamlmap.load("a: 1\nb:\n  c: 2\n", "x.yaml", line_offset=1)
    assert result.data.line_of("b") == 3 and result.data["b"].line_of("c") == 4


def test_duplicate_key_is_an_error_not_silently_dropped():
    result = yamlmap.load("a: 1\na: 2\n", "x.yaml")
    assert result.data is None
    assert (result.diagnostics[0].code, result.diagnostics[0].location.line) == ("yaml-duplicate-key", 2)


def test_syntax_error_has_line():
    result = yamlmap.load("a: 1\n b: 2\n", "x.yaml")
    assert result.diagnostics[0].code == "yaml-syntax" and result.diagnostics[0].location.line == 2
