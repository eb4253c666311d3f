"""Chance drawn alike: a chart using `random()`, `sample` or an error band's bootstrap draws the same
rows in the build's picture at every drawing, and the live view (site_src/static/js/broadsheet.js)
draws with the same generator from the same seed."""
import re

from py_mini_racer import MiniRacer

from broadsheet.charts import drawing, sources
from broadsheet.charts import engine as vega_engine
from helpers import REPO

JITTER = {"data": {"sequence": {"start": 0, "stop": 30, "as": "i"}},
          "transform": [{"calculate": "random()", "as": "r"}, {"sample": 12}],
          "mark": "point", "encoding": {"x": {"field": "i", "type": "quantitative"},
                                        "y": {"field": "r", "type": "quantitative"}}}


def engine():
    bundle = drawing.engine_bundle(sources.vegalite_version())[0]
    return vega_engine.VegaEngine(bundle, lambda key, characters: {c: 55.0 for c in characters})


def points(svg: str) -> list[str]:
    return re.findall(r'transform="translate\(([-\d.]+,[-\d.]+)\)"', svg)


def test_a_chart_drawn_by_chance_draws_the_same_points_at_every_drawing():
    vega = engine()
    spec = vega.compile(JITTER)
    first, second = (points(vega.render_svg(spec, None, None)) for _ in range(2))
    assert len(first) >= 12
    assert first == second


def test_random_outside_a_drawing_is_chance_again():
    vega = engine()
    vega.render_svg(vega.compile(JITTER), None, None)
    draws = vega._racer.eval("JSON.stringify([Math.random(), Math.random()])")
    assert draws != vega._racer.eval("JSON.stringify((function(){var r = seededRandom(CHANCE_SEED);"
                                     " return [r(), r()];})())")


def _generator(source: str) -> str:
    seed = re.search(r"var CHANCE_SEED = (\d+);", source).group(1)
    body = re.search(r"function seededRandom\(seed\) \{.*?\n\s*\};\n\s*\}", source, re.S).group(0)
    return body + f"\nvar r = seededRandom({seed}), out = []; for (var i = 0; i < 50; i++) out.push(r());" \
                  " JSON.stringify(out);"


def test_the_page_and_the_build_draw_the_same_chance():
    page = (REPO / "site_src" / "static" / "js" / "broadsheet.js").read_text()
    build = vega_engine._PRELUDE
    assert "Math.random = function () { return chance(); };" in page
    racer = MiniRacer()
    assert racer.eval(_generator(page)) == racer.eval(_generator(build))
