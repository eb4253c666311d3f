"""The author guide's chart examples build as written: the pandas chart over the guide's TSV, the
Vega-Lite chart over the guide's nested JSON, and the brush (over a table made here, the guide
shows none). Each static picture holds the data marks vl-convert draws for the page's spec."""
from __future__ import annotations

import re
from pathlib import Path

from corpus_pages import built_charts
from helpers import REPO, SITE_SRC, run_cli

GUIDE = (REPO / "docs" / "author-guide.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```$", GUIDE, flags=re.M | re.S)


def block(language: str, marker: str) -> str:
    (found,) = [text for lang, text in BLOCKS if lang == language and marker in text]
    return found


def story(root: Path, slug: str, charts: dict[str, str], files: dict[str, str]) -> None:
    folder = root / "content" / slug
    for name in ("charts", "data", "sections"):
        (folder / name).mkdir(parents=True)
    (folder / "index.md").write_text(f"---\ntitle: Exemple {slug}\npublished: 2024-01-15\n---\n\nTexte.\n")
    (folder / "facts.yaml").write_text("facts: {}\nsources: {}\n")
    for name, text in {**charts, **files}.items():
        (folder / name).write_text(text, encoding="utf-8")
    ids = [Path(name).name.split(".")[0] for name in charts]
    (folder / "sections" / "01-a.md").write_text("## A\n\n" + "\n\n".join("{chart:%s}" % i for i in ids) + "\n")


def test_the_guides_pandas_tsv_json_and_brush_examples_build(tmp_path: Path):
    import vl_convert
    from broadsheet.charts.drawing import data_marks

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Test\nlanguage: fr\nabsolute_url: https://example.org/\n")
    tsv = block("", "date\tville\ttemperature")
    assert "\t" in tsv and "pluie" in tsv
    story(tmp_path, "pluie", {"charts/pluie.py": block("python", 'pd.DataFrame(data["meteo"])')},
          {"data/meteo.tsv": tsv})
    story(tmp_path, "ventes", {"charts/trimestres.vl.json": block("json", '"url": "data/ventes.json"')},
          {"data/ventes.json": block("json", '"donnees": {"lignes"')})
    brush = ('import altair as alt\n\nTITLE = "Les ventes, mois par mois"\nALT = "Des aires empilées par produit."\n\n\n'
             + block("python", "alt.selection_interval("))
    rows = "\n".join(f"2024-{m:02d}-01,{p},{(m * 7 + len(p)) % 13 + 1}" for m in range(1, 13) for p in ("thé", "café"))
    story(tmp_path, "periode", {"charts/periode.py": brush}, {"data/ventes.csv": "mois,produit,unites\n" + rows + "\n"})

    result = run_cli("build", "--site-src", str(SITE_SRC), "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    charts = {f"{chart.story}/{chart.id}": chart for chart in built_charts(tmp_path / "_site")}
    assert set(charts) == {"pluie/pluie", "ventes/trimestres", "periode/periode"}
    for name, chart in charts.items():
        ours = data_marks(chart.svg)
        assert sum(ours.values()) > 0 and ours == data_marks(vl_convert.vega_to_svg(chart.vega)), name
    assert data_marks(charts["pluie/pluie"].svg) == {"rect": 2}  # Lyon and Nice
    assert data_marks(charts["ventes/trimestres"].svg) == {"rect": 2}  # the two rows under donnees.lignes
