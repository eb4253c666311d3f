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


def _bomb(levels: int) -> str:
    lines = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_in_linear_time():
    import time
    started = time.monotonic()
    result = yamlmap.load(_bomb(30), "x.yaml")
    assert time.monotonic() - started < 1.0
    assert result.data is None
    assert result.diagnostics[0].render() == ("x.yaml:6:5: error[yaml-too-large]: aliases expand this value into "
                                              "more than 200,000 values\n  hint: write the values out instead of "
                                              "repeating them with `*aliases`")


def test_a_few_aliases_and_merge_keys_still_work():
    result = yamlmap.load("base: &b {u: 1}\nx:\n  <<: *b\n  v: 2\ny: *b\n", "x.yaml")
    assert result.diagnostics == () and result.data["x"] == {"u": 1, "v": 2} and result.data["y"] == {"u": 1}


def test_alias_inside_its_own_anchor():
    result = yamlmap.load("a: &a [1, *a]\n", "x.yaml")
    assert result.diagnostics[0].code == "yaml-too-large"
    assert "refers to itself" in result.diagnostics[0].message


def test_sexagesimal_scalars_stay_as_written():
    assert yamlmap.load("a: 1:20\nb: 10:30\nc: 1_000\nd: 1.5\n", "x.yaml").data == \
        {"a": "1:20", "b": "10:30", "c": 1000, "d": 1.5}


def test_keys_are_strings_as_written():
    data = yamlmap.load("yes: 1\non: 2\nno: 3\n2023-01-01: 4\n0x10: 5\n~: 6\n", "x.yaml").data
    assert list(data) == ["yes", "on", "no", "2023-01-01", "0x10", "~"]
    assert data.line_of("on") == 2


def test_tags_are_named_as_tags():
    result = yamlmap.load("a: !!python/object:os.system {}\n", "x.yaml")
    assert result.diagnostics[0].render() == (
        "x.yaml:1:4: error[yaml-tag]: YAML tags are not allowed: '!!python/object:os.system'\n"
        "  hint: remove the tag (the word starting with `!` or `!!`) and write a plain value; "
        "to keep `!` as text, quote the whole value")
