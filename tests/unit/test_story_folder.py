"""One story folder -> Story, and the checks that need the whole story (files written here)."""
from pathlib import Path

from broadsheet import charts, story
from broadsheet.cache import NoCache


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    return folder


INDEX = "---\ntitle: Un titre\npublished: 2023-05-15\n---\nIntro qui cite {fact:cout}.\n"
FACTS = ("facts:\n  cout:\n    value: 12\n    unit: EUR\n    as_of: 2023-01-01\n    status: confirmed\n    source: insee\n"
         "sources:\n  insee:\n    name: Recensement\n    publisher: Insee\n")


def context(root: Path) -> story.StoryContext:
    return story.StoryContext(root, "fr", "La rédaction", {}, "{}", NoCache(), compiler=charts.ChartCompiler(1))


def test_a_story_without_charts_loads_with_its_sections_in_order(tmp_path: Path):
    folder = write(tmp_path / "content" / "recit", {"index.md": INDEX, "facts.yaml": FACTS,
                                                    "sections/02-fin.md": "## Fin\n", "sections/01-debut.md": "## Début\n"})
    loaded, problems, compiled = story.load_story(folder, context(tmp_path))
    assert problems == [] and compiled == 0
    assert (loaded.slug, loaded.title, loaded.published, loaded.updated) == ("recit", "Un titre", "2023-05-15", "2023-05-15")
    assert [s.slug for s in loaded.sections] == ["debut", "fin"]
    assert loaded.facts.facts["cout"].value == 12


def test_unknown_fact_and_chart_are_errors_at_their_line(tmp_path: Path):
    folder = write(tmp_path / "content" / "recit", {
        "index.md": INDEX, "facts.yaml": FACTS, "sections/01-a.md": "Texte {fact:couts}.\n\n{chart:absent}\n"})
    loaded, problems, _ = story.load_story(folder, context(tmp_path))
    assert loaded is None
    found = {(p.code, p.location.path, p.location.line) for p in problems}
    assert ("fact-unknown", "content/recit/sections/01-a.md", 1) in found
    assert ("chart-unknown", "content/recit/sections/01-a.md", 3) in found
    assert "did you mean 'cout'?" in next(p.hint for p in problems if p.code == "fact-unknown")


def test_front_matter_problems_are_reported_not_raised(tmp_path: Path):
    folder = write(tmp_path / "content" / "recit", {"index.md": "---\ntitle: T\npublished: 15/05/2023\nlanguage: xx\n---\n"})
    _, problems, _ = story.load_story(folder, context(tmp_path))
    assert {"front-matter-date", "front-matter-language"} <= {p.code for p in problems}


def test_discover_takes_folders_with_an_index_in_name_order(tmp_path: Path):
    for name in ("b", "a", "_brouillon", "sans-index"):
        (tmp_path / name).mkdir()
    for name in ("b", "a", "_brouillon"):
        (tmp_path / name / "index.md").write_text(INDEX)
    assert [p.name for p in story.discover(tmp_path)] == ["a", "b"]


def test_iso_dates_must_exist():
    assert story.is_iso_date("2024-02-29") and not story.is_iso_date("2023-02-29")
    assert not story.is_iso_date("15/05/2023")
