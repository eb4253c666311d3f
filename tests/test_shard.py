"""Sharding: `build --shard I/N` builds some of the stories into a part, `build --assemble` makes
the site from the parts; the site is byte-identical to a plain build's, for any N."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_cli, snapshot_of
from test_archive import build, generated


def shards(work: Path, count: int, *args: str) -> list[str]:
    parts = [f"parts-{count}/{number}" for number in range(1, count + 1)]
    for number, part in enumerate(parts, start=1):
        build(work, "--shard", f"{number}/{count}", "--out", part, *args)
    return parts


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    work = generated(tmp_path_factory.mktemp("shard") / "work", stories=12)
    build(work, "--no-cache", "--out", "full")  # the reference: a plain build from nothing
    return work


@pytest.mark.parametrize("count", [1, 3, 8])
def test_assembled_parts_equal_a_plain_build(work: Path, count: int):
    parts = shards(work, count)
    held = [set(json.loads((work / part / "broadsheet-part.json").read_text())["stories"]) for part in parts]
    assert sum(len(slugs) for slugs in held) == 12 and len(set().union(*held)) == 12  # each story once
    assert not any((work / part / "index.html").exists() for part in parts)  # the site's pages are the assembly's
    out = build(work, "--assemble", *parts, "--out", f"site-{count}")
    assert "were in no part" not in out
    assert snapshot_of(work / f"site-{count}") == snapshot_of(work / "full")


def test_the_shard_of_a_story_never_depends_on_the_others(work: Path):
    from broadsheet.manifest import shard_of

    assert [shard_of(f"article-{n:05d}", 8) for n in range(1, 6)] == [shard_of(f"article-{n:05d}", 8)
                                                                       for n in range(1, 6)]
    assert {shard_of(f"s{n}", 3) for n in range(100)} == {1, 2, 3}


def _cross_link(work: Path, href: str) -> tuple[str, str]:
    """A link from one story to another that a 2-shard build puts in another shard."""
    from broadsheet.manifest import shard_of

    slugs = sorted(p.name for p in (work / "content").iterdir() if p.is_dir())
    source = slugs[0]
    target = next(slug for slug in slugs if shard_of(slug, 2) != shard_of(source, 2))
    section = work / "content" / source / "sections" / "01-partie.md"
    section.write_text(section.read_text() + f"\nVoir [l’autre article](../{target}/{href}).\n", encoding="utf-8")
    return source, target


def test_links_into_other_shards_are_checked_by_the_assembly(tmp_path: Path):
    work = generated(tmp_path / "work", stories=6)
    source, target = _cross_link(work, "#partie-1")
    parts = shards(work, 2)  # each shard alone passes: the link's target is not its to check
    build(work, "--assemble", *parts, "--out", "site")
    assert f'href="../{target}/#partie-1"' in (work / "site" / source / "index.html").read_text()
    section = work / "content" / source / "sections" / "01-partie.md"
    section.write_text(section.read_text().replace("#partie-1", "#nulle-part"), encoding="utf-8")
    parts = shards(work, 2)
    from helpers import SITE_SRC

    done = run_cli("build", "--site-src", str(SITE_SRC), "--assemble", *parts, "--out", "site", cwd=work)
    assert done.returncode == 1
    assert "error[link-broken]" in done.stderr and "#nulle-part" in done.stderr
    assert "Traceback" not in done.stderr
    assert f'href="../{target}/#partie-1"' in (work / "site" / source / "index.html").read_text()  # site as it was


def test_a_part_from_other_inputs_or_no_part_is_an_error(tmp_path: Path):
    from helpers import SITE_SRC

    work = generated(tmp_path / "work", stories=4)
    parts = shards(work, 2, "--base-url", "/autre/")
    (work / "empty").mkdir()
    done = run_cli("build", "--site-src", str(SITE_SRC), "--assemble", parts[0], "empty", "--out", "site", cwd=work)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "error[part-stale]" in done.stderr and "--base-url" in done.stderr
    assert "error[part-missing]" in done.stderr
    assert not (work / "site").exists()


def test_a_story_changed_since_its_shard_is_built_by_the_assembly(tmp_path: Path):
    work = generated(tmp_path / "work", stories=4)
    parts = shards(work, 2)
    section = work / "content" / "article-00002" / "sections" / "02-partie.md"
    section.write_text(section.read_text().replace("Partie 2", "Deuxième partie"), encoding="utf-8")
    out = build(work, "--assemble", *parts, "--out", "site")
    assert "1 of 4 stories were in no part" in out and "article-00002" in out
    assert "Deuxième partie" in (work / "site" / "article-00002" / "index.html").read_text()
    build(work, "--no-cache", "--out", "full")
    assert snapshot_of(work / "site") == snapshot_of(work / "full")


def test_a_bad_shard_is_a_usage_error(tmp_path: Path):
    from helpers import SITE_SRC

    work = generated(tmp_path / "work", stories=1)
    for bad in ("0/3", "4/3", "a/b", "3"):
        done = run_cli("build", "--site-src", str(SITE_SRC), "--shard", bad, cwd=work)
        assert done.returncode == 2 and "is not a shard" in done.stderr and "Traceback" not in done.stderr


def test_the_sharded_workflow_runs_the_builds_that_pass_here(tmp_path: Path):
    """The workflow's own shard and assembly commands, as its jobs run them (artifacts as folders)."""
    import shutil

    import yaml

    from helpers import REPO, SITE_SRC

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "archive-shards.yml").read_text())
    jobs = workflow["jobs"]
    assert jobs["assemble"]["needs"] == ["plan", "shard"]
    assert jobs["shard"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    upload = next(step for step in jobs["shard"]["steps"] if "upload-artifact" in step.get("uses", ""))
    download = next(step for step in jobs["assemble"]["steps"] if "download-artifact" in step.get("uses", ""))
    assert upload["with"]["name"] == "part-${{ matrix.shard }}" and download["with"]["pattern"] == "part-*"

    def command(job: str, name_start: str, **values: str) -> list[str]:
        text = next(s["run"] for s in jobs[job]["steps"] if s.get("name", "").startswith(name_start))
        text = text.replace('"/${{ github.event.repository.name }}/"', "/broadsheet/")
        for key, value in values.items():
            text = text.replace("${{ " + key + " }}", value)
        args = text.replace('"', "").split()
        assert args[:2] == ["python", "build.py"] and "${{" not in text
        return args[2:]

    shutil.copytree(REPO / "content", tmp_path / "content")
    for number in (1, 2, 3):
        args = command("shard", "Build shard", **{"matrix.shard": str(number), "inputs.shards": "3"})
        done = run_cli(*args, "--site-src", str(SITE_SRC), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        shutil.copytree(tmp_path / "part", tmp_path / "parts" / f"part-{number}")
        shutil.rmtree(tmp_path / "part")
    args = command("assemble", "Assemble")
    parts = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "parts").glob("part-*"))
    args = [a for a in args if a != "parts/part-*"]
    args[args.index("--assemble") + 1:args.index("--assemble") + 1] = parts
    done = run_cli(*args, "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    plain = run_cli("build", "--strict", "--base-url", "/broadsheet/", "--out", "plain", "--site-src", str(SITE_SRC),
                    cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert snapshot_of(tmp_path / "_site") == snapshot_of(tmp_path / "plain")
