"""The Vega engine: drawing with measured advances, measuring what it lacks, Vega's own errors."""
import re

import pytest

from broadsheet.charts import drawing, sources
from broadsheet.charts import engine as vega_engine

TEXT = {"$schema": "https://vega.github.io/schema/vega/v6.json", "width": 0, "height": 0, "padding": 0,
        "autosize": "pad",
        "marks": [{"type": "text", "encode": {"enter": {"text": {"value": "abcé"}, "fontSize": {"value": 10},
                                                          "font": {"value": "Test Sans"}, "align": {"value": "left"},
                                                          "baseline": {"value": "top"}}}}]}


def bundle() -> str:
    return drawing.engine_bundle(sources.vegalite_version())[0]


class Ruler:
    """Advances of a made-up font: 60 per character at size 100 and no kerning (a pair is 120),
    noting what was asked."""

    def __init__(self):
        self.asked: list[list[str]] = []

    def __call__(self, font_key, characters):
        self.asked.append(list(characters))
        assert vega_engine.font_of(font_key) == ("Test Sans", None, None)
        return {character: 60.0 * len(character) for character in characters}


def svg_width(svg: str) -> float:
    return float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))


def test_text_is_as_wide_as_the_sum_of_its_advances():
    ruler = Ruler()
    engine = vega_engine.VegaEngine(bundle(), ruler)
    svg = engine.render_svg(TEXT, None, None)
    assert svg_width(svg) == 24  # 4 characters x 60 x 10 / 100
    assert ruler.asked == [["a", "ab", "b", "bc", "c", "cé", "é"]]  # measured once (pairs too), then drawn again


def test_known_characters_are_not_measured_again_and_the_drawing_does_not_depend_on_it():
    ruler = Ruler()
    engine = vega_engine.VegaEngine(bundle(), ruler)
    first = engine.render_svg(TEXT, None, None)
    second = engine.render_svg(TEXT, None, None)
    assert first == second and len(ruler.asked) == 1


def test_vega_lite_errors_come_back_in_vega_lites_words():
    """The same words vl-convert gives, without its stack of minified frames."""
    engine = vega_engine.VegaEngine(bundle(), Ruler())
    if not engine.compiles:
        pytest.skip("this vl-convert does not carry Altair's Vega-Lite release")
    with pytest.raises(vega_engine.VegaError) as raised:
        engine.compile({"mark": "nonsense"})
    assert str(raised.value) == "Cannot read properties of undefined (reading 'filled')"


def test_a_broken_vega_spec_is_an_error_not_a_crash():
    engine = vega_engine.VegaEngine(bundle(), Ruler())
    with pytest.raises(vega_engine.VegaError):
        engine.render_svg({"marks": [{"type": "rect", "from": {"data": "missing"}}]}, None, None)


def test_the_engine_works_when_made_inside_a_running_event_loop():
    """The preview server and some tests run an asyncio loop: the engine must not adopt it.
    (In a thread of its own: this test process may already run a loop, Playwright's.)"""
    import asyncio
    import threading

    async def inside() -> str:
        engine = vega_engine.VegaEngine(bundle(), Ruler())
        return engine.render_svg(TEXT, None, None)

    drawn: list = []
    thread = threading.Thread(target=lambda: drawn.append(asyncio.run(inside())))
    thread.start()
    thread.join(timeout=60)
    assert drawn and drawn[0].startswith("<svg")


def test_a_drawing_that_settles_later_is_awaited():
    """A drawing is read back right after the call that starts it (Vega's promises settle in
    V8's microtasks); one that waits on a timer is awaited instead, with the same result."""
    engine = vega_engine.VegaEngine(bundle(), Ruler())
    at_once = engine.render_svg(TEXT, None, None)
    engine._racer.eval("""(function () {
        var render = __broadsheet.render;
        __broadsheet.render = function (spec, numberLocale, timeLocale) {
            return new Promise(function (done) { setTimeout(done, 5); }).then(function () {
                return render.call(__broadsheet, spec, numberLocale, timeLocale); });
        };
    })()""")
    assert engine.render_svg(TEXT, None, None) == at_once
    engine._racer.eval("__broadsheet.render = function () { return Promise.reject(new Error('late refusal')); }")
    with pytest.raises(vega_engine.VegaError, match="late refusal"):
        engine.render_svg(TEXT, None, None)


def test_kerned_pairs_are_as_wide_as_vl_convert_lays_them_out():
    """"TAVA FAY" kerns at every pair: drawn with the engine's measure, the text is as wide as
    vl-convert lays it out (and as a browser does), not the sum of its letters (about 2 % wider)."""
    import vl_convert

    spec = {**TEXT, "marks": [{**TEXT["marks"][0], "encode": {"enter": {
        **TEXT["marks"][0]["encode"]["enter"], "text": {"value": "TAVA FAY"}, "fontSize": {"value": 100},
        "font": {"value": "Liberation Sans"}}}}]}
    ours = svg_width(drawing.engine(sources.vegalite_version()).render_svg(spec, None, None))
    theirs = svg_width(vl_convert.vega_to_svg(spec))
    assert abs(ours - theirs) <= 1, (ours, theirs)


def gallery_specs() -> list:
    """Every Vega-Lite file of the test corpora, and a faceted aggregate (Vega-Lite clones its
    aggregate's fields, a Set, with structuredClone: a JSON stand-in turned them into text)."""
    from helpers import REPO

    paths = sorted(REPO.glob("tests/corpus/content/**/*.vl.json")) + sorted(REPO.glob("tests/charts_corpus/**/*.vl.json"))
    barley = {"data": {"values": [{"site": s, "variety": v, "year": y, "yield": 20 + i}
                                  for i, (s, v, y) in enumerate((s, v, y) for s in "AB" for v in "xyz" for y in (1931, 1932))]},
              "mark": "point", "height": {"step": 12},
              "encoding": {"facet": {"field": "site", "type": "ordinal", "columns": 2},
                           "x": {"aggregate": "median", "field": "yield", "type": "quantitative"},
                           "y": {"field": "variety", "type": "ordinal", "sort": "-x"},
                           "color": {"field": "year", "type": "nominal"}}}
    return [pytest.param(path, id=path.name) for path in paths] + [pytest.param(barley, id="facet-aggregate")]


@pytest.fixture(scope="module")
def one_engine():
    return vega_engine.VegaEngine(bundle(), Ruler())


@pytest.mark.parametrize("spec", gallery_specs())
def test_the_engine_compiles_vega_lite_as_vl_convert_does(spec, one_engine):
    """The reference: vl-convert's own compile of the same spec, with the same Vega-Lite release."""
    import json
    import vl_convert

    if not isinstance(spec, dict):
        spec = json.loads(spec.read_text())
    release = "_".join(sources.vegalite_version().split(".")[:2])
    assert one_engine.compile(spec) == vl_convert.vegalite_to_vega(spec, vl_version=release)
