"""What drawing a static picture reports: Vega's log, a picture with no data mark, text cut off,
event streams that must parse headless, an animation's first frame."""
from broadsheet import i18n
from broadsheet.charts import drawing, sources

ROWS = [{"a": i, "b": (i * 7) % 13, "c": "xyz"[i % 3]} for i in range(21)]
POINTS = {"data": {"values": ROWS}, "mark": "point",
          "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"}}}


def draw(spec):
    # Compiled with the Vega-Lite release a build uses (Altair's): the process's engine is made by
    # its first caller, and a test run alone and one run after others must see the same compiler.
    vega, problems = drawing.to_vega("t", "charts/t.vl.json", spec, sources.vegalite_version())
    assert problems == []
    return drawing.to_svg("t", "charts/t.vl.json", vega, i18n.d3_locales("en"), layout="narrow")


def codes(problems):
    return sorted((p.severity, p.code) for p in problems)


def test_a_plain_chart_draws_its_marks_and_says_nothing():
    svg, problems = draw(POINTS)
    assert problems == []
    assert drawing.data_marks(svg) == {"symbol": 21}


def test_a_filter_that_keeps_nothing_is_an_empty_picture():
    svg, problems = draw({**POINTS, "transform": [{"filter": "datum.a > 1000"}]})
    assert ("error", "chart-empty") in codes(problems)
    assert "21 rows" in next(p.message for p in problems if p.code == "chart-empty")


def test_a_chart_with_no_rows_at_all_is_not_called_empty():
    _, problems = draw({**POINTS, "data": {"values": []}})
    assert "chart-empty" not in [p.code for p in problems]


def test_a_view_sized_by_its_container_inside_a_concat_is_refused():
    view = {k: v for k, v in POINTS.items() if k != "data"}
    _, problems = draw({"data": {"values": ROWS}, "hconcat": [{**view, "width": "container"}, view]})
    assert ("error", "chart-empty") in codes(problems)


def test_a_picture_drawn_zero_pixels_wide_is_empty():
    """A row facet given a view width and autosize fit-x (what the layouts once did to Altair's
    `row=`): Vega-Lite drops the fit, and Vega draws the whole picture 0 pixels wide."""
    spec = {**POINTS, "width": 340, "autosize": {"type": "fit-x", "contains": "padding"},
            "encoding": {**POINTS["encoding"], "row": {"field": "c", "type": "nominal"}}}
    vega, _ = drawing.to_vega("t", "charts/t.vl.json", spec)
    svg, problems = drawing.to_svg("t", "charts/t.vl.json", vega, i18n.d3_locales("en"), layout="narrow")
    assert drawing.svg_size(svg)[0] == 0
    (empty,) = [p for p in problems if p.code == "chart-empty"]
    assert empty.severity == "error" and "pixels" in empty.message
    _, problems = draw({k: v for k, v in spec.items() if k not in ("width", "autosize")})
    assert problems == []


def test_what_vega_logs_while_drawing_is_reported():
    spec = {**POINTS, "encoding": {**POINTS["encoding"],
                                   "x": {"field": "a", "type": "quantitative", "scale": {"type": "log", "domain": [0, 20]}}}}
    _, problems = draw(spec)
    logged = [p for p in problems if p.code == "chart-vega-log"]
    assert logged and "Log scale domain includes zero" in logged[0].message


def test_text_beyond_the_picture_is_clipped_at_the_layout_named():
    note = {"mark": {"type": "text", "align": "left"}, "encoding": {"x": {"value": 5000}, "y": {"value": 10},
                                                                      "text": {"value": "far away"}}}
    _, problems = draw({"data": {"values": ROWS}, "autosize": "none",  # the picture does not grow to hold it
                        "layer": [{k: v for k, v in POINTS.items() if k != "data"}, note]})
    (clipped,) = [p for p in problems if p.code == "chart-clipped"]
    assert clipped.severity == "warning" and "narrow layout" in clipped.message and "far away" in clipped.message


def test_brushes_zoom_and_selector_streams_parse_headless():
    """Vega-Lite's brush listens on the window, `bind: scales` on the view, an author's stream may
    name an element by CSS selector: all parse, and nothing is logged."""
    brush = {**POINTS, "params": [{"name": "brush", "select": "interval"},
                                  {"name": "pick", "select": {"type": "point", "on": "#somewhere:click"}}]}
    zoom = {**POINTS, "params": [{"name": "zoom", "select": "interval", "bind": "scales"}]}
    for spec in (brush, zoom):
        svg, problems = draw(spec)
        assert problems == [] and drawing.data_marks(svg) == {"symbol": 21}


ANIMATION = {**POINTS, "params": [{"name": "t", "select": {"type": "point", "fields": ["c"], "on": "timer"}}],
             "transform": [{"filter": {"param": "t"}}],
             # Vega-Lite 6 warns of a time field it cannot order (nominal): ordinal is the sorted kind
             "encoding": {**POINTS["encoding"], "time": {"field": "c", "type": "ordinal"}}}


def test_an_animation_is_drawn_at_its_first_frame_at_every_build():
    """The same picture every time (the tick used to land on the first frame, a later one or on none,
    by the wall clock), with the marks vl-convert draws for the first frame ("x", where the time
    scale starts) written as a plain filter. vl-convert's drawing of the animated spec itself, which
    never ticks, shows every frame at once: what the first frame must not be."""
    import vl_convert

    pictures = set()
    for _ in range(8):
        svg, problems = draw(ANIMATION)
        assert problems == []
        pictures.add(svg)
    (svg,) = pictures
    first = {**POINTS, "transform": [{"filter": "datum.c == 'x'"}]}
    assert drawing.data_marks(svg) == drawing.data_marks(vl_convert.vegalite_to_svg(first)) == {"symbol": 7}
    assert drawing.data_marks(vl_convert.vegalite_to_svg(ANIMATION)) == {"symbol": 21}


def test_the_clock_stands_still_only_while_a_chart_is_drawn():
    """After an animation, and after a spec Vega refuses while building its view, the engine's
    `Date.now` is the wall clock again (a chart's own `now()` reads the time of its drawing)."""
    import time

    draw(ANIMATION)
    _, problems = drawing.to_svg("t", "charts/t.vl.json", {"signals": [{"name": "s", "update": "nonsense("}]},
                                 i18n.d3_locales("en"), layout="narrow")
    assert [p.code for p in problems] == ["chart-render"]
    racer = drawing.engine()._racer
    before = racer.eval("Date.now()")
    time.sleep(0.05)
    assert racer.eval("Date.now()") - before >= 40
    assert abs(racer.eval("Date.now()") - time.time() * 1000) < 1000


def test_brush_rectangles_are_not_data_marks():
    svg, _ = draw({**POINTS, "params": [{"name": "brush", "select": "interval"}]})
    assert "brush_brush" in svg and drawing.data_marks(svg) == {"symbol": 21}


def test_text_the_chart_clips_itself_is_not_reported():
    def clipped(clip):
        note = {"mark": {"type": "text", "align": "left", "clip": clip},
                "encoding": {"x": {"value": 5000}, "y": {"value": 10}, "text": {"value": "far away"}}}
        _, problems = draw({"data": {"values": ROWS}, "width": 300, "autosize": {"type": "fit-x", "contains": "padding"},
                            "layer": [{k: v for k, v in POINTS.items() if k != "data"}, note]})
        return [p for p in problems if p.code == "chart-clipped"]

    assert clipped(True) == []
    assert len(clipped(False)) == 1
