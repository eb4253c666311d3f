import gzip
from broadsheet import i18n
from broadsheet.charts import cards, checks, drawing
from broadsheet.charts import runtime as chart_runtime

def compile_chart(spec):
    """Vega-Lite -> Vega -> static SVG, as a chart job does: (Vega, SVG, problems)."""
    vega, problems = drawing.to_vega("t", "charts/t.py", spec)
    if vega is None:
        return None, "", problems
    svg, problems = drawing.to_svg("t", "charts/t.py", vega, i18n.d3_locales("fr"))
    return (vega, svg, []) if not problems else (None, "", problems)


SPEC = {"data": {"values": [{"a": "x", "b": 1200}, {"a": "y", "b": 2}]}, "mark": "bar",
        "encoding": {"y": {"field": "a", "type": "nominal"}, "x": {"field": "b", "type": "quantitative"}}}


def test_compile_gives_vega_and_an_svg_of_the_same_size_in_french():
    vega, svg, problems = compile_chart(SPEC)
    assert problems == []
    assert vega["$schema"].endswith("vega/v6.json")
    width, height = drawing.svg_size(svg)
    assert width > 0 and height > 0
    assert "1\u202f200" in svg  # the axis is formatted like the prose


def test_external_data_is_never_fetched():
    spec = dict(SPEC, data={"url": "https://example.org/data.csv"})
    vega, _, problems = compile_chart(spec)
    assert vega is None and problems[0].code == "chart-data-unknown"
    assert "https://example.org/data.csv" in problems[0].message


def test_runtime_is_one_wrapped_script_defining_vega_from_the_modules_charts_use():
    """When this fails after a vl-convert upgrade, its Vega release needs a line in
    chart_runtime.RUNTIME_MODULES (the build still works meanwhile, with all of Vega: 24 KB more)."""
    import vl_convert

    runtime = chart_runtime.vega_runtime()
    assert runtime.startswith(b"/* Vega ") and runtime.rstrip().endswith(b"})();")
    assert b"the modules Vega-Lite charts use" in runtime.split(b"\n", 1)[0]
    assert vl_convert.get_vega_version() in chart_runtime.RUNTIME_MODULES
    assert b"window.vega=" in runtime.replace(b" ", b"")
    assert len(gzip.compress(runtime, 9)) < 190_000


def test_the_engine_draws_what_vl_convert_draws():
    """The engine runs the Vega that vl-convert carries, with text widths vl-convert measured: on a
    chart whose labels have no kerning pair, the two pictures are the same bytes."""
    import vl_convert

    from broadsheet.charts import sources

    locales = i18n.d3_locales("fr")
    ours, _ = drawing.to_vega("t", "charts/t.py", SPEC, sources.vegalite_version())
    assert ours == vl_convert.vegalite_to_vega(SPEC)
    svg, problems = drawing.to_svg("t", "charts/t.py", ours, locales)
    theirs = vl_convert.vega_to_svg(ours, allowed_base_urls=[], format_locale=dict(locales["number"]),
                                    time_format_locale=dict(locales["time"]))
    assert problems == [] and svg == drawing._clean_svg(theirs)


def test_advances_are_measured_by_vl_convert_spaces_included():
    advances = drawing.measure_advances("Liberation Sans", None, None, ["i", " ", "\u202f", "W"])
    assert advances["i"] < advances[" "] < advances["W"]
    assert 0 < advances["\u202f"] < advances[" "]  # the narrow no-break space of French numbers


def test_a_module_vl_convert_lacks_gives_no_bundle_rather_than_a_crash():
    """The page runtime and the engine fall back to plainer bundles on such a snippet."""
    assert chart_runtime.bundle_if_known('import * as nothing from "/npm/vega@0.0.1/+esm"; window.x = nothing;') is None


def test_card_headline_with_markup_characters_is_drawn():
    """The headline is SVG text: '&', '<' and '>' are escaped, never read as markup."""
    png = cards.social_card('Salaires & coûts : <15 $> de l\'heure, "vraiment" ?', "Broadsheet", None)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert png != cards.social_card("Salaires  coûts : 15 $ de l'heure, \"vraiment\" ?", "Broadsheet", None)


def test_data_addresses_are_found_at_the_top_and_in_group_marks():
    spec = {"data": [{"name": "a", "values": [{"url": "not an address"}]}],
            "marks": [{"type": "group", "data": [{"name": "b", "url": "https://example.org/b.csv"}],
                       "marks": [{"type": "group", "data": [{"name": "c", "url": "c.json"},
                                                            {"name": "d", "url": {"signal": "'file:///etc/passwd'"}}]}]},
                      {"type": "rect", "from": {"data": "a"}}]}
    assert checks.data_urls(spec) == ["https://example.org/b.csv", "c.json",
                                        '{"signal": "\'file:///etc/passwd\'"}']
