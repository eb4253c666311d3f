"""The benchmark cannot rot silently: its generated site builds, with the bench's own code."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from helpers import REPO, snapshot_of


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_site_builds_and_stays_within_budget(tmp_path: Path):
    largesite, run = load("largesite"), load("run")
    counts = largesite.generate(tmp_path / "content", stories=2, big_rows=2_000, big_every=2)
    assert counts == {"stories": 2, "sections": 16, "charts": 8, "big_charts": 3, "big_rows": 2_000}
    again = tmp_path / "again"
    largesite.generate(again / "content", stories=2, big_rows=2_000, big_every=2)
    assert snapshot_of(again / "content") == snapshot_of(tmp_path / "content")  # seeded: same bytes

    seconds, peak, cpu = run.build(tmp_path, run.build_env(None), "--strict", sample=True)
    assert seconds > 0 and peak[0] >= peak[1] > 0 and cpu > 0  # summed RSS, summed PSS, CPU seconds
    site = tmp_path / "_site"
    assert sorted(p.parent.name for p in site.glob("enquete-*/index.html")) == ["enquete-01", "enquete-02"]
    assert len(list(site.glob("enquete-02/data/seuil-1.*.csv"))) == 1  # rows the slider filters, as a file
    page = run.weights(site, "enquete-02")
    assert page["before_js_gz"] < 80 * 1024

    # The cold build rendered the first story while the second one's charts compiled; a build
    # whose charts come from the cache renders every section after them: the same site.
    cold = snapshot_of(site)
    for name in ("sections", "figures"):
        shutil.rmtree(tmp_path / ".cache" / "broadsheet" / name)
    run.build(tmp_path, run.build_env(None), "--strict")
    assert snapshot_of(site) == cold


def test_the_corpus_bench_counts_the_charts_each_corpus_places(tmp_path: Path):
    """bench/corpus.py divides by the charts a corpus places: the files under charts/ (and the
    optional ones whose module is installed), as the corpus tests count them."""
    corpus = load("corpus")
    counts = [corpus.prepare(content, tmp_path / str(i)) for i, content in enumerate(corpus.CORPORA.values())]
    views = len([p for p in (REPO / "tests" / "corpus" / "content").glob("*/charts/*") if p.suffix in (".py", ".json")])
    formats = len(list((REPO / "tests" / "charts_corpus" / "content" / "corpus" / "charts").iterdir()))
    extra = 1 if importlib.util.find_spec("polars") else 0
    assert counts == [views, formats + extra]
    assert counts[0] >= 69 and counts[1] >= 57
