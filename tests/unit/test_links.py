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


def test_resolve_reads_every_href_as_urllib_splits_it():
    """resolve takes a short way for plain relative paths (`../../slug/`): it must land where the
    long way, urlsplit and unquote, lands, for every kind of href a page may hold."""
    import posixpath
    from urllib.parse import unquote, urlsplit

    def by_urllib(page, href, files):
        parts = urlsplit(href)
        fragment = unquote(parts.fragment)
        if not parts.path:
            return page, fragment
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if target.startswith("../") or target == "..":
            return None, fragment
        target = "" if target == "." else target
        return next(((c, fragment) for c in (target, posixpath.join(target, "index.html")) if c in files),
                    (None, fragment))

    files = {"index.html", "a/index.html", "a b/index.html", "b/c.svg", "été/index.html"}
    hrefs = ["", "a/", "../a/", "../../a/", "./", ".", "..", "#x", "?q=1", "a/#frag", "a/?x#y", "//a/", "///a",
             " a/", "a/ ", "a/\t", "a\nb/", "a%20b/", "a b/", "%C3%A9t%C3%A9/", "été/", "\\a", "b/c.svg",
             "b//c.svg", "b/./c.svg", "x/../b/c.svg", "mailto:x@y", "https://example.org/a/", "a:b"]
    for page in ("index.html", "a/index.html", "a/b/c/index.html"):
        for href in hrefs:
            assert links.resolve(page, href, files) == by_urllib(page, href, files), (page, href)
            assert links.is_external(href) == bool(urlsplit(href).scheme or urlsplit(href).netloc), href


def test_the_scan_of_a_page_that_lists_stories_is_kept_and_read_back_alike(tmp_path, monkeypatch):
    """The home and archive pages hold a hundred links each and rarely change: their scan is kept in
    the cache under their bytes. Read back, it equals a fresh scan; other pages are always read."""
    from broadsheet.cache import DiskCache

    cache = DiskCache(tmp_path / "cache")
    files = {"archives/2024/index.html": b'<main id="main"><a href="../../s/#suite">S</a><img src="../../s/a.svg">'
                                         b'<script>let a = \'<a href="nowhere/">\';</script></main>',
             "s/index.html": b'<h2 id="suite">x</h2><a href="../">home</a>'}
    listing = lambda path: path.startswith("archives/")  # noqa: E731
    fresh = links.scan(files)
    assert links.scan(files, cache, listing) == fresh  # scanned, then kept
    read = []
    original = links._scan_page
    monkeypatch.setattr(links, "_scan_page", lambda content: read.append(content) or original(content))
    assert links.scan(files, cache, listing) == fresh
    assert read == [files["s/index.html"]]  # the listing page came from the cache
    changed = {**files, "archives/2024/index.html": files["archives/2024/index.html"].replace(b"#suite", b"#autre")}
    assert links.scan(changed, cache, listing) == links.scan(changed)  # other bytes: read again
    for entry in (tmp_path / "cache" / "link-scans").rglob("*.sealed"):
        entry.write_bytes(entry.read_bytes()[:-3] + b"!!!")  # damaged: read again, never wrong
    assert links.scan(files, cache, listing) == fresh
