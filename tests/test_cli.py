"""The command line as a newcomer meets it: exit codes, summary line, refusals, `new`."""
import shutil
from pathlib import Path

from helpers import REPO, SITE_SRC, run_cli

FIXTURE = Path(__file__).parent / "sites" / "basic" / "content"


def test_bad_usage_exits_2_with_a_hint(tmp_path: Path):
    result = run_cli("build", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    assert "hint:" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_the_commands(tmp_path: Path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("build", "check", "new"):
        assert command in result.stdout


def test_check_writes_nothing_and_strict_fails_on_warnings(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    ok = run_cli("check", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Checked 1 story, 3 charts in ")
    assert not (tmp_path / "_site").exists()
    section = tmp_path / "content" / "demo" / "sections" / "01-salaires.md"
    section.write_text(section.read_text() + "\nIls étaient 375.\n")
    assert run_cli("check", "--site-src", str(SITE_SRC), cwd=tmp_path).returncode == 0
    strict = run_cli("check", "--strict", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert strict.returncode == 1
    assert "error[number-bare]" in strict.stderr


def test_build_prints_one_summary_line(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    result = run_cli("--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Built 4 pages, 3 charts (") and " s -> _site/" in lines[0]


def test_output_onto_the_content_folder_is_refused(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), "--out", "content", cwd=tmp_path)
    assert result.returncode == 2 and "refusing to write" in result.stderr
    assert (tmp_path / "content" / "demo" / "index.md").is_file()


def test_new_story_builds_at_once(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Essai\nabsolute_url: https://example.org/\n")
    created = run_cli("new", "mon-article", cwd=tmp_path)
    assert created.returncode == 0 and "as a draft" in created.stdout
    assert "draft: true" in (tmp_path / "content" / "mon-article" / "index.md").read_text()
    result = run_cli("build", "--strict", "--drafts", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "_site" / "mon-article" / "index.html").is_file()


def test_a_first_story_in_an_empty_folder_gets_the_sites_settings_too(tmp_path: Path):
    """`new` in a folder with no site.yaml: the build warned about content/site.yaml:1, a file that
    did not exist."""
    created = run_cli("new", "first-story", "--language", "en", cwd=tmp_path)
    assert created.returncode == 0 and "content/site.yaml" in created.stdout
    settings = (tmp_path / "content" / "site.yaml").read_text()
    assert "language: en" in settings and "# absolute_url:" in settings and "Our explainers" in settings
    result = run_cli("build", "--drafts", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "site-no-absolute-url" in result.stderr  # the one setting left to the author, said
    again = run_cli("new", "second-story", cwd=tmp_path)
    assert again.returncode == 0 and "site.yaml" not in again.stdout
    assert "language: en" in (tmp_path / "content" / "second-story" / "index.md").read_text()


def test_console_script_is_declared():
    assert 'broadsheet = "broadsheet.cli:main"' in (REPO / "pyproject.toml").read_text()


def test_output_onto_the_project_or_the_root_is_refused(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    for out, reason in ((".", "the project folder itself"), ("/", "the file-system root"),
                        ("content/demo", "inside the content folder")):
        result = run_cli("build", "--site-src", str(SITE_SRC), "--out", out, cwd=tmp_path)
        assert result.returncode == 2 and reason in result.stderr, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_a_project_outside_the_clone_builds_with_the_engine_templates(tmp_path: Path):
    """A newcomer's scratch folder holds only content/: without --site-src the build uses the
    engine's own templates (it said "templates not found in site_src/templates" before)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Scratch\nlanguage: en\nabsolute_url: https://example.org/\n")
    assert run_cli("new", "first-story", cwd=tmp_path).returncode == 0
    result = run_cli("build", "--strict", "--drafts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "_site" / "first-story" / "index.html").is_file()
    wrong = run_cli("check", "--site-src", "nowhere", cwd=tmp_path)
    assert wrong.returncode == 2 and "templates not found in nowhere/templates" in wrong.stderr
