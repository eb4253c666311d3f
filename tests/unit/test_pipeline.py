"""The pipeline's own pieces, on inputs made here: site settings, the build date, the stop rule."""
import datetime as dt
from pathlib import Path

import pytest

from broadsheet import pipeline
from broadsheet.diagnostics import BuildFailed, Report, SourceLocation, error, warning
from broadsheet.model import Site, SiteConfig


def options(tmp_path: Path, **more) -> pipeline.BuildOptions:
    return pipeline.BuildOptions(project=tmp_path, content=tmp_path / "content", site_src=tmp_path / "site_src",
                                 out=tmp_path / "_site", **more)


def test_site_settings_are_read_and_unknown_fields_warned(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Le site\nlanguage: en\nbase_url: data\ncolour: red\n")
    report = Report()
    config = pipeline.load_site_config(options(tmp_path), report)
    assert (config.title, config.language, config.base_url) == ("Le site", "en", "/data/")
    assert [(d.code, d.location.line) for d in report.items] == [("site-field", 4)]


def test_an_unknown_language_is_an_error_and_english_is_used(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("language: klingon\n")
    report = Report()
    assert pipeline.load_site_config(options(tmp_path), report).language == "en"
    assert [d.code for d in report.items] == ["site-language"]


def test_the_build_date_is_source_date_epoch_else_today_never_a_story_date(tmp_path: Path):
    assert pipeline.generated_date(options(tmp_path, env={"SOURCE_DATE_EPOCH": "1700000000"})) == dt.date(2023, 11, 14)
    before = dt.datetime.now(tz=dt.timezone.utc).date()
    built = pipeline.generated_date(options(tmp_path, env={"X": "1"}))
    assert before <= built <= dt.datetime.now(tz=dt.timezone.utc).date()


def test_a_broken_theme_is_reported_at_its_line(tmp_path: Path):
    (tmp_path / "site_src").mkdir()
    (tmp_path / "site_src" / "theme.json").write_text('{\n  "config": ,\n}')
    report = Report()
    theme, _ = pipeline.load_theme(options(tmp_path), report)
    assert theme == {} and [(d.code, d.location.line) for d in report.items] == [("theme-json", 2)]


def test_a_phase_stops_on_errors_and_on_warnings_only_when_strict(tmp_path: Path):
    where = SourceLocation("content/site.yaml", 1)
    pipeline.stop_if_failing([warning("w", "a warning", where, "")], options(tmp_path))
    with pytest.raises(BuildFailed):
        pipeline.stop_if_failing([warning("w", "a warning", where, "")], options(tmp_path, strict=True))
    with pytest.raises(BuildFailed):
        pipeline.stop_if_failing([error("e", "an error", where, "")], options(tmp_path))


def test_a_site_without_address_is_warned_before_publishing():
    config = SiteConfig("S", "", "fr", "/", "", "", "content/site.yaml")
    assert [d.code for d in pipeline.site_checks(Site(config, (), dt.date(2024, 1, 1)))] == ["site-no-absolute-url"]


def test_static_files_are_named_by_their_content_except_the_embed_script(tmp_path: Path):
    static = tmp_path / "site_src" / "static"
    (static / "js").mkdir(parents=True)
    (static / "js" / "embed.js").write_text("embed")
    (static / "js" / "app.js").write_text("app")
    (static / "logo.svg").write_text("<svg/>")
    files, names = pipeline.static_assets(options(tmp_path))
    assert names["js/embed.js"] == "assets/js/embed.js" and names["logo.svg"] == "assets/logo.svg"
    assert names["js/app.js"].startswith("assets/js/app.") and names["js/app.js"] in files


def test_no_cache_means_no_folder_at_all(tmp_path: Path):
    assert options(tmp_path, use_cache=False).cache.folder("templates") is None
    assert options(tmp_path).cache.folder("templates") == tmp_path / ".cache" / "broadsheet" / "templates"
