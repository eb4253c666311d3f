"""The internal link check, on pages made here: every link and #anchor must land somewhere."""
import datetime as dt

from broadsheet import links
from broadsheet.model import FactSet, Section, Site, SiteConfig, Story, frozen_mapping

SECTION = Section("content/s/sections/01-a.md", "a", "Voir [la suite](#suite) et [rien](nulle-part.html).\n", (), 0)


def site() -> Site:
    story = Story("s", "content/s", "T", "", "", "2023-05-15", "2023-05-15", "fr", "", None, (SECTION,), FactSet(),
                  frozen_mapping(), frozen_mapping(), (), ())
    return Site(SiteConfig("S", "", "fr", "/", "", "", "content/site.yaml"), (story,), dt.date(2024, 1, 1))


def test_broken_links_are_traced_to_their_markdown_line():
    files = {"s/index.html": b'<h2 id="ailleurs">x</h2><a href="#suite">a</a><a href="nulle-part.html">b</a>'
                             b'<a href="https://example.org/">c</a><a href="../index.html">d</a>',
             "index.html": b'<a href="s/">story</a>'}
    problems = links.check_internal(files, site())
    assert sorted(p.message for p in problems) == [
        "link '#suite' points to no '#suite' on s/",
        "link 'nulle-part.html' points to no page or file of the site"]
    assert {(p.location.path, p.location.line) for p in problems} == {("content/s/sections/01-a.md", 1)}


def test_links_that_land_pass():
    files = {"s/index.html": b'<h2 id="suite">x</h2><a href="#suite">a</a><a href="../">home</a>',
             "index.html": b'<a href="s/#suite">story</a>'}
    assert links.check_internal(files, site()) == []


def test_resolve_finds_folders_index_and_refuses_to_leave_the_site():
    files = {"a/index.html": b"", "b.html": b""}
    assert links.resolve("b.html", "a/#x", files) == ("a/index.html", "x")
    assert links.resolve("a/index.html", "../../b.html", files) == (None, "")
    assert links.is_external("//cdn.example/x.js") and not links.is_external("x.js")
