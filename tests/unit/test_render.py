from broadsheet.render import json_for_script, relative


def test_relative_urls_work_from_any_depth():
    assert relative("index.html", "") == "./"
    assert relative("demo/index.html", "") == "../"
    assert relative("demo/index.html", "assets/site.css") == "../assets/site.css"
    assert relative("demo/index.html", "demo/charts/a.svg") == "charts/a.svg"
    assert relative("index.html", "demo/") == "demo/"


def test_json_in_script_cannot_close_the_tag():
    text = json_for_script({"title": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text


def test_template_mistake_names_its_line(tmp_path):
    import datetime as dt

    import pytest

    from broadsheet.model import Site, SiteConfig
    from broadsheet.render import Locations, TemplateProblem, make_environment, render_site

    (tmp_path / "index.html").write_text("<p>ok</p>\n<p>{{ no_such_name }}</p>\n")
    (tmp_path / "404.html").write_text("404\n")
    site = Site(SiteConfig("T", "", "fr", "/", "", "N", "site.yaml"), (), dt.date(2023, 1, 1))
    with pytest.raises(TemplateProblem) as caught:
        render_site(site, make_environment(tmp_path), Locations({}, {}, {}), tmp_path)
    assert caught.value.diagnostic.code == "template-error"
    assert (caught.value.diagnostic.location.path, caught.value.diagnostic.location.line) == ("index.html", 2)


def test_preview_survives_a_bug_in_a_rebuild():
    from broadsheet import devserver

    state = devserver.PreviewState()
    devserver.run_build(state, lambda: {"index.html": b"ok"}, devserver.error_page_text)
    devserver.run_build(state, lambda: 1 / 0, devserver.error_page_text)
    assert state.snapshot.files == {"index.html": b"ok"}
    assert "ZeroDivisionError" in state.snapshot.errors


def test_reader_table_columns_are_written_alike_in_the_storys_language():
    """Issue 15 item 8: a column's numbers share their decimals and their grouping (the table once
    showed 2,5 beside 15 and 9000 beside 12 000); years stay years; text and gaps stay as they are."""
    from broadsheet.render import _cells

    rows = ((2.5, 9000, 1990, "a", None), (15, 12000.5, 2024, "b", 3), (7.25, 125, 2001, "c", True))
    fr = _cells(("taux", "montant", "annee", "nom", "mixte"), rows, "fr")
    assert [row[0] for row in fr] == ["2,50", "15,00", "7,25"]
    assert [row[1].replace("\u202f", " ").replace("\xa0", " ") for row in fr] == ["9 000,0", "12 000,5", "125,0"]
    assert [row[2] for row in fr] == ["1990", "2024", "2001"]
    assert [row[3] for row in fr] == ["a", "b", "c"] and [row[4] for row in fr] == ["", "3", "True"]
    en = _cells(("rate", "amount"), ((2.5, 9000), (15, 12000)), "en")
    assert en == [["2.5", "9,000"], ["15.0", "12,000"]]
