"""Archive scale: a build takes the stories whose inputs did not change as the last build into the
same folder left them, without reading them, and its output is byte-identical to a full build's."""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO, SITE_SRC, run_cli, snapshot_of


def generated(folder: Path, stories: int = 24) -> Path:
    spec = importlib.util.spec_from_file_location("bench_archive", REPO / "bench" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder / "content", stories=stories, chart_every=8)
    return folder


def build(work: Path, *args: str) -> str:
    done = run_cli("build", "--site-src", str(SITE_SRC), *args, cwd=work)
    assert done.returncode == 0, done.stderr
    return done.stdout


def full_build_of(work: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same content built from nothing, elsewhere: what the incremental build must equal."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(work / "content", fresh / "content")
    build(fresh, "--no-cache")
    return snapshot_of(fresh / "_site")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    work = generated(tmp_path / "work")
    build(work)
    return work


def test_an_unchanged_archive_is_taken_whole_and_left_as_it_is(archive: Path, tmp_path: Path):
    before = {p: p.stat().st_mtime_ns for p in (archive / "_site").rglob("*") if p.is_file()}
    out = build(archive)
    assert "6 charts (6 from cache)" in out
    assert {p: p.stat().st_mtime_ns for p in (archive / "_site").rglob("*") if p.is_file()} == before
    assert snapshot_of(archive / "_site") == full_build_of(archive, tmp_path)


def test_an_edited_story_is_rebuilt_and_the_site_equals_a_full_build(archive: Path, tmp_path: Path):
    section = archive / "content" / "article-00003" / "sections" / "02-partie.md"
    section.write_text(section.read_text().replace("Partie 2", "Deuxième partie"), encoding="utf-8")
    kept = archive / "_site" / "article-00005" / "index.html"
    inode = kept.stat().st_ino
    build(archive)
    assert "Deuxième partie" in (archive / "_site" / "article-00003" / "index.html").read_text()
    assert kept.stat().st_ino == inode  # the unchanged story's page is the same file, linked
    assert snapshot_of(archive / "_site") == full_build_of(archive, tmp_path)


def test_new_and_removed_stories_update_the_lists(archive: Path, tmp_path: Path):
    shutil.rmtree(archive / "content" / "article-00002")
    shutil.copytree(archive / "content" / "article-00004", archive / "content" / "article-99999")
    build(archive)
    site = archive / "_site"
    assert not (site / "article-00002").exists() and (site / "article-99999" / "index.html").is_file()
    for listing in ("index.html", "feed.xml", "sitemap.xml"):
        text = (site / listing).read_text()
        assert "article-00002/" not in text and "article-99999/" in text, listing
    assert snapshot_of(site) == full_build_of(archive, tmp_path)


def test_a_link_into_a_removed_story_breaks_the_build_from_a_kept_story(archive: Path):
    section = archive / "content" / "article-00006" / "sections" / "01-partie.md"
    section.write_text(section.read_text() + "\nVoir [l’article voisin](../article-00007/).\n", encoding="utf-8")
    build(archive)
    shutil.rmtree(archive / "content" / "article-00007")
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=archive)
    assert done.returncode == 1
    assert "error[link-broken]: link '../article-00007/' points to no page or file of the site" in done.stderr
    assert (archive / "_site" / "article-00007" / "index.html").is_file()  # the previous site, untouched


def test_a_template_change_rebuilds_every_story(archive: Path, tmp_path: Path):
    site_src = tmp_path / "site_src"
    shutil.copytree(SITE_SRC, site_src)
    base = site_src / "templates" / "base.html"
    base.write_text(base.read_text().replace("</footer>", "<!-- une retouche --></footer>", 1), encoding="utf-8")
    done = run_cli("build", "--site-src", str(site_src), cwd=archive)
    assert done.returncode == 0, done.stderr
    pages = sorted((archive / "_site").glob("article-*/index.html"))
    assert pages and all("une retouche" in page.read_text() for page in pages)


def test_a_story_page_edited_in_the_output_is_written_again(archive: Path, tmp_path: Path):
    page = archive / "_site" / "article-00001" / "index.html"
    page.write_text(page.read_text().replace("Article 1", "Article un"), encoding="utf-8")
    build(archive)
    assert snapshot_of(archive / "_site") == full_build_of(archive, tmp_path)


def test_an_unchanged_story_is_not_read(archive: Path, monkeypatch):
    """In-process: the stories started are only the edited one."""
    from broadsheet import story as story_module
    from broadsheet.output import DirWriter
    from broadsheet.pipeline import BuildOptions, build as run_build

    section = archive / "content" / "article-00010" / "sections" / "03-partie.md"
    section.write_text(section.read_text() + "\nUne phrase de plus.\n", encoding="utf-8")
    started = []
    original = story_module.start_story
    monkeypatch.setattr(story_module, "start_story", lambda folder, ctx: started.append(folder.name)
                        or original(folder, ctx))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = BuildOptions(project=archive, content=archive / "content", site_src=SITE_SRC, out=archive / "_site",
                           reuse=True)
    result = run_build(options, DirWriter(options.out))
    assert started == ["article-00010"]
    assert result.stories == 24 and result.charts == 6


def test_the_home_page_lists_the_newest_and_the_years_list_them_all(tmp_path: Path, monkeypatch):
    """In-process, with archive pages of 4 stories: every story is on exactly one archive page."""
    from broadsheet import render
    from broadsheet.output import DirWriter
    from broadsheet.pipeline import BuildOptions, build as run_build

    spec = importlib.util.spec_from_file_location("bench_archive", REPO / "bench" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path / "content", stories=120, chart_every=1000)
    monkeypatch.setattr(render, "ARCHIVE_PAGE", 4)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = BuildOptions(project=tmp_path, content=tmp_path / "content", site_src=SITE_SRC, out=tmp_path / "_site")
    run_build(options, DirWriter(options.out))
    site = tmp_path / "_site"
    home = (site / "index.html").read_text()
    assert home.count('class="story-card"') == render.HOME_STORIES
    listed = []
    for page in sorted(site.glob("archives/*/**/index.html")):
        text = page.read_text()
        cards = re.findall(r'<h2><a href="((?:\.\./)+)(article-\d+)/">', text)
        assert 0 < len(cards) <= 4, page
        depth = len(page.relative_to(site).parts) - 1
        assert all(prefix == "../" * depth for prefix, _ in cards), page  # links relative to the page
        listed += [slug for _, slug in cards]
        year = page.relative_to(site).parts[1]
        assert re.search(rf'href="(\.\./)*archives/{year}/"|aria-current="page">{year}<', text)
    assert sorted(listed) == sorted(p.name for p in (tmp_path / "content").glob("article-*"))
    busy = [year for year in (site / "archives").iterdir() if (year / "2" / "index.html").is_file()]
    assert busy, "no year has a second page"
    assert 'rel="next" href="2/"' in (busy[0] / "index.html").read_text()
    assert 'rel="prev" href="../"' in (busy[0] / "2" / "index.html").read_text()
    feed = (site / "feed.xml").read_text()
    assert feed.count("<entry>") == 50  # the feed carries the newest 50


def test_a_story_whose_facts_go_stale_is_checked_again_the_next_day(archive: Path, monkeypatch):
    """`stale_after:` makes a story's diagnostics depend on the date: it is not kept across days."""
    from broadsheet import story as story_module
    from broadsheet.output import DirWriter
    from broadsheet.pipeline import BuildOptions, build as run_build

    index = archive / "content" / "article-00004" / "index.md"
    index.write_text(index.read_text().replace("language: fr\n", "language: fr\nstale_after: 100 ans\n", 1),
                     encoding="utf-8")
    options = BuildOptions(project=archive, content=archive / "content", site_src=SITE_SRC, out=archive / "_site",
                           reuse=True)
    started = []
    original = story_module.start_story
    monkeypatch.setattr(story_module, "start_story", lambda folder, ctx: started.append(folder.name)
                        or original(folder, ctx))
    for day, expected in ((1700000000, ["article-00004"]), (1700000000, []), (1700000000 + 86400, ["article-00004"])):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(day))
        started.clear()
        run_build(options, DirWriter(options.out))
        assert started == expected, (day, started)


def test_a_file_left_in_the_assets_goes_with_the_next_edit(archive: Path, tmp_path: Path):
    """A site-wide entry is staged again only when it differs from what this build makes: a stray
    file in it is a difference."""
    (archive / "_site" / "assets" / "stray.txt").write_text("left here by hand\n", encoding="utf-8")
    section = archive / "content" / "article-00003" / "sections" / "01-partie.md"
    section.write_text(section.read_text() + "\nUne phrase de plus.\n", encoding="utf-8")
    build(archive)
    assert not (archive / "_site" / "assets" / "stray.txt").exists()
    assert snapshot_of(archive / "_site") == full_build_of(archive, tmp_path)


def test_a_damaged_bucket_of_the_record_costs_only_its_stories(archive: Path, tmp_path: Path, monkeypatch):
    """The record is kept in buckets: one that cannot be read rebuilds the stories it held, no others."""
    from broadsheet import manifest, story as story_module
    from broadsheet.output import DirWriter
    from broadsheet.pipeline import BuildOptions, build as run_build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = BuildOptions(project=archive, content=archive / "content", site_src=SITE_SRC, out=archive / "_site",
                           reuse=True)
    records = manifest.Records(options.cache, options.out)
    number = manifest.bucket_of("article-00005")
    held = sorted(slug for slug in records.stories if manifest.bucket_of(slug) == number)
    entry = options.cache.root / "stories" / records._key(number)[:2] / (records._key(number)[2:] + ".sealed")
    entry.write_bytes(entry.read_bytes()[:-20] + b"damaged at the end..")
    started = []
    original = story_module.start_story
    monkeypatch.setattr(story_module, "start_story", lambda folder, ctx: started.append(folder.name)
                        or original(folder, ctx))
    run_build(options, DirWriter(options.out))
    assert started == held and "article-00005" in held and len(held) < 24
    assert snapshot_of(archive / "_site") == full_build_of(archive, tmp_path)


def test_a_file_left_in_a_kept_story_goes_with_the_next_build(archive: Path, tmp_path: Path):
    """A kept story's folder is staged again when the output holds a file this build does not make."""
    stray = archive / "_site" / "article-00005" / "notes.html"
    stray.write_text("<p>left here by hand</p>\n", encoding="utf-8")
    (archive / "_site" / "article-00006" / "vide").mkdir()
    build(archive)
    assert not stray.exists() and not (archive / "_site" / "article-00006" / "vide").exists()
    assert snapshot_of(archive / "_site") == full_build_of(archive, tmp_path)


def test_the_build_after_a_full_one_renders_no_listing_page_again(tmp_path: Path, monkeypatch):
    """The pages that list stories are kept under what they show. A story read by this build and the
    same story taken from the record must key them alike: once they did not (a tuple and a list
    print differently), and the build after a cold one rendered every archive page again."""
    from broadsheet import render
    from broadsheet.output import DirWriter
    from broadsheet.pipeline import BuildOptions, build as run_build

    generated(tmp_path, stories=40)
    monkeypatch.setattr(render, "ARCHIVE_PAGE", 4)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = BuildOptions(project=tmp_path, content=tmp_path / "content", site_src=SITE_SRC, out=tmp_path / "_site",
                           reuse=True)
    rendered: list[str] = []
    keep = render._kept
    monkeypatch.setattr(render, "_kept", lambda cache, key, make: keep(
        cache, key, lambda: rendered.append(key[0]) or make()))
    run_build(options, DirWriter(options.out))
    assert rendered.count("listing-page") > 5  # the home page and the archive pages, made once
    rendered.clear()
    render._FIGURE_MEMO.clear()  # as a new process: only the disk cache remembers
    run_build(options, DirWriter(options.out))
    assert "listing-page" not in rendered


def test_an_edit_that_lists_nothing_new_reads_the_listing_pages_and_sitemap_whole(tmp_path: Path, monkeypatch):
    """While no story's listing changes (a prose edit), the home page, the archive pages and the
    sitemap come from one cache entry each, made by a build that rendered them; a new lead chart
    makes the listing pages again but not the sitemap, a new title both, and the site still equals
    a full build."""
    from broadsheet import feeds, render
    from broadsheet.output import DirWriter
    from broadsheet.pipeline import BuildOptions, build as run_build

    work = generated(tmp_path / "work", stories=40)
    monkeypatch.setattr(render, "ARCHIVE_PAGE", 4)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    options = BuildOptions(project=work, content=work / "content", site_src=SITE_SRC, out=work / "_site", reuse=True)
    made: list[str] = []
    each, maps = render._each_listing_page, feeds.sitemaps
    monkeypatch.setattr(render, "_each_listing_page", lambda *a, **k: made.append("listing") or each(*a, **k))
    monkeypatch.setattr(feeds, "sitemaps", lambda *a, **k: made.append("sitemap") or maps(*a, **k))
    run_build(options, DirWriter(options.out))
    assert made == ["listing", "sitemap"]
    made.clear()
    section = work / "content" / "article-00003" / "sections" / "02-partie.md"
    section.write_text(section.read_text() + "\nUne phrase de plus.\n", encoding="utf-8")
    run_build(options, DirWriter(options.out))
    assert made == [] and "Une phrase de plus." in (options.out / "article-00003" / "index.html").read_text()
    rows = work / "content" / "article-00008" / "data" / "series.csv"
    rows.write_text(rows.read_text().replace("\n2016,", "\n2016,9", 1), encoding="utf-8")
    run_build(options, DirWriter(options.out))
    assert made == ["listing"]  # the lead chart's picture, on the home page, has a new name: not in the sitemap
    made.clear()
    index = work / "content" / "article-00003" / "index.md"
    index.write_text(index.read_text().replace("title: \"Article", "title: \"Nouvel article", 1), encoding="utf-8")
    run_build(options, DirWriter(options.out))
    assert made == ["listing"]  # a title is not in the sitemap either
    assert any("Nouvel article" in page.read_text() for page in (options.out / "archives").rglob("index.html"))
    made.clear()
    index.write_text(index.read_text().replace("published: 2011-02-01", "published: 2011-02-01\nupdated: 2012-03-04"),
                     encoding="utf-8")
    run_build(options, DirWriter(options.out))
    assert made == ["listing", "sitemap"]
    assert "<lastmod>2012-03-04</lastmod>" in (options.out / "sitemap.xml").read_text()
    for namespace in ("listing-pages", "sitemaps"):  # each build replaced the one before: no megabytes piling up
        assert len(list((work / ".cache" / "broadsheet" / namespace).rglob("*.sealed"))) == 1, namespace
    monkeypatch.undo()
    assert snapshot_of(options.out) == full_build_of(work, tmp_path)
