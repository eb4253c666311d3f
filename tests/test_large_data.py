"""Charts over a 100,000-row CSV: aggregated at build time, the page stays small, rows the live
view needs become a file, a chart that would draw every row is refused; the cache and
determinism hold."""
from __future__ import annotations

import gzip
import json
import random
import re
import shutil
from pathlib import Path

import pytest

from helpers import SITE_SRC, run_cli, snapshot_of

ROWS = 100_000
PAGE_BUDGET = 80 * 1024  # gzip bytes: HTML + CSS + chart SVGs, before JavaScript

HEAD = '''import altair as alt

TITLE = "{title}"
ALT = "Un graphique des transactions, dont les valeurs sont lisibles dans le tableau."
'''
HISTOGRAM = HEAD.format(title="Répartition des montants") + '''

def chart(data, facts):
    choix = alt.selection_point(name="choix", fields=["region"], bind="legend")
    return alt.Chart(data["transactions"], height=200).mark_bar().encode(
        x=alt.X("montant", type="quantitative", bin=alt.Bin(maxbins=30), title="Montant"),
        y=alt.Y(aggregate="count", type="quantitative", title="Transactions"),
        color=alt.Color("region", type="nominal"),
        opacity=alt.OpacityValue(0.3, condition={"param": "choix", "value": 1}),
    ).add_params(choix)
'''
MONTHLY = HEAD.format(title="Montant moyen par mois") + '''

def chart(data, facts):
    return alt.Chart(data["transactions"], height=200).mark_line().encode(
        x=alt.X("date", type="temporal", timeUnit="yearmonth", title=None),
        y=alt.Y("montant", type="quantitative", aggregate="mean", title="Moyenne"),
        color=alt.Color("region", type="nominal"),
    )
'''
THRESHOLD = HEAD.format(title="Au-dessus d’un seuil") + '''

def chart(data, facts):
    seuil = alt.param(name="seuil", value=20, bind=alt.binding_range(min=0, max=200, step=5, name="Seuil "))
    return alt.Chart(data["transactions"], height=alt.Step(20)).transform_filter(
        "datum.montant >= seuil"
    ).mark_bar().encode(
        x=alt.X("montant", type="quantitative", aggregate="mean", title="Moyenne"),
        y=alt.Y("region", type="nominal", title=None),
    ).add_params(seuil)
'''
SCATTER = HEAD.format(title="Chaque transaction") + '''

def chart(data, facts):
    return alt.Chart(
        data["transactions"], height=200
    ).mark_point().encode(
        x=alt.X("duree", type="quantitative"),
        y=alt.Y("montant", type="quantitative"),
    )
'''


def transactions(rows: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["date,region,montant,duree"]
    for _ in range(rows):
        lines.append(f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},{rng.choice('NSEO')},"
                     f"{round(rng.lognormvariate(3, 1), 2)},{rng.randint(1, 600)}")
    return "\n".join(lines) + "\n"


def make_site(root: Path, charts: dict[str, str], rows: int = ROWS) -> Path:
    story = root / "content" / "gros"
    for folder in ("sections", "data", "charts"):
        (story / folder).mkdir(parents=True)
    (root / "content" / "site.yaml").write_text("title: Test\nlanguage: fr\n")
    (story / "index.md").write_text('---\ntitle: "Beaucoup de lignes"\npublished: 2024-01-15\n---\n\n'
                                    "Une introduction.\n")
    body = "## Les transactions\n\n" + "".join("{chart:" + name + "}\n\n" for name in charts)
    (story / "sections" / "01-donnees.md").write_text(body)
    (story / "facts.yaml").write_text("facts: {}\nsources: {}\n")
    (story / "data" / "transactions.csv").write_text(transactions(rows))
    for name, code in charts.items():
        (story / "charts" / f"{name}.py").write_text(code)
    return root


def page_weight(site: Path, slug: str) -> int:
    blobs = [(site / slug / "index.html").read_bytes()]
    blobs += [p.read_bytes() for p in (site / "assets" / "css").glob("*.css")]
    blobs += [p.read_bytes() for p in (site / slug / "charts").glob("*.svg")]
    return sum(len(gzip.compress(blob, 9)) for blob in blobs)


def specs(page: str) -> list[dict]:
    found = re.findall(r'<script type="application/json" class="chart-spec">(.*?)</script>', page, flags=re.S)
    return [json.loads(text) for text in found]


def inline_rows(spec) -> int:
    """The most rows any data entry of a Vega spec holds inline."""
    if isinstance(spec, dict):
        own = len(spec["values"]) if isinstance(spec.get("values"), list) else 0
        return max([own] + [inline_rows(value) for value in spec.values()])
    if isinstance(spec, list):
        return max([0] + [inline_rows(value) for value in spec])
    return 0


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("large"), {"histogramme": HISTOGRAM, "mensuel": MONTHLY,
                                                         "seuil": THRESHOLD})
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_a_100000_row_chart_builds_and_the_page_stays_small(built: Path):
    site = built / "_site"
    html = (site / "gros" / "index.html").read_text()
    assert len(html.encode()) < 150_000
    assert page_weight(site, "gros") < PAGE_BUDGET
    for spec in specs(html):
        assert inline_rows(spec) <= 500  # aggregates only: never the 100,000 rows
    for svg in (site / "gros" / "charts").glob("*.svg"):
        assert svg.stat().st_size < 60_000


def test_aggregates_are_computed_at_build_time(built: Path):
    html = (built / "_site" / "gros" / "index.html").read_text()
    histogram, monthly, _ = specs(html)
    left = [step["type"] for entry in histogram["data"] for step in entry.get("transform", [])]
    assert "bin" not in left and "aggregate" not in left  # nothing left for the browser to compute
    months = next(entry["values"] for entry in monthly["data"] if len(entry.get("values", [])) > 12)
    assert len(months) == 12 * 4  # one row per month and region
    assert all("mean_montant" in row for row in months)


def test_rows_the_live_view_needs_become_a_file_beside_the_story(built: Path):
    site = built / "_site"
    html = (site / "gros" / "index.html").read_text()
    threshold = specs(html)[2]
    urls = [entry["url"] for entry in threshold["data"] if "url" in entry]
    assert len(urls) == 1 and re.fullmatch(r"data/seuil-1\.[0-9a-f]{10}\.csv", urls[0])
    rows = (site / "gros" / urls[0]).read_text().splitlines()
    assert len(rows) == ROWS + 1 and rows[0] == "montant,region"  # only the columns the chart reads
    assert 'data-chart="seuil" data-base="./"' in html
    embed = (site / "gros" / "embed" / "seuil" / "index.html").read_text()
    assert 'data-base="../../"' in embed
    assert "seuil" in (site / "gros" / "charts").glob("seuil.*.svg").__next__().name


def test_the_data_table_shows_the_rows_drawn_and_links_the_whole_csv(built: Path):
    """Under a chart aggregated at build time, the table holds what the chart draws (the
    aggregate, its stacked bars as counts) under the chart's own words (its titles, never
    Vega-Lite's `mean_montant`), dates and bins as a reader reads them, and the download is the
    whole CSV."""
    import csv as csv_module
    from collections import defaultdict

    html = (built / "_site" / "gros" / "index.html").read_text()
    figures = dict(re.findall(r'<figure class="chart" id="chart-(\w+)"(.*?)</figure>', html, re.S))

    def table(body):
        header = re.findall(r'<th scope="col">([^<]*)</th>', body)
        rows = [cells for cells in (re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body))
                if cells]
        return header, rows

    def number(text):
        return float(text.replace("\u202f", "").replace("\xa0", "").replace(",", "."))

    header, rows = table(figures["mensuel"])
    assert header == ["date", "region", "Moyenne"]  # the x axis has no title: its field's name
    assert len(rows) == 12 * 4  # a row per month and region
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]
    source = list(csv_module.DictReader(open(built / "content" / "gros" / "data" / "transactions.csv")))
    sums: dict = defaultdict(lambda: [0.0, 0])
    for row in source:
        total = sums[(months[int(row["date"][5:7]) - 1] + " 2023", row["region"])]
        total[0] += float(row["montant"])
        total[1] += 1
    for month, region, mean in rows:
        expected = sums[(month, region)][0] / sums[(month, region)][1]
        assert abs(number(mean) - expected) < 1e-4, (month, region, mean, expected)
    header, rows = table(figures["histogramme"])
    assert header == ["Transactions", "Montant", "region"]
    assert sum(int(number(cells[0])) for cells in rows) == ROWS  # every transaction counted once across the bins
    assert all(re.fullmatch(r"[\d\u202f]+\u2013[\d\u202f]+", cells[1]) for cells in rows)  # a bin as the range it counts
    assert table(figures["seuil"])[0] == ["Moyenne", "region"]
    for body in figures.values():
        assert 'href="data/transactions.csv"' in body
    download = built / "_site" / "gros" / "data" / "transactions.csv"
    assert download.read_bytes() == (built / "content" / "gros" / "data" / "transactions.csv").read_bytes()


def test_cache_is_keyed_by_the_large_csv(built: Path, tmp_path: Path):
    root = tmp_path / "copy"
    shutil.copytree(built / "content", root / "content")
    shutil.copytree(built / ".cache", root / ".cache")
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert "(3 from cache)" in result.stdout, result.stdout + result.stderr
    assert snapshot_of(root / "_site") == snapshot_of(built / "_site")  # the cache gives the same site
    csv = root / "content" / "gros" / "data" / "transactions.csv"
    lines = csv.read_text().split("\n")
    lines[1] = lines[1].rsplit(",", 2)[0] + ",99999.0," + lines[1].rsplit(",", 1)[1]
    csv.write_text("\n".join(lines))
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert result.returncode == 0, result.stderr
    assert "(0 from cache)" in result.stdout  # all three read the CSV
    assert snapshot_of(root / "_site") != snapshot_of(built / "_site")


def test_build_is_deterministic_across_runs_and_job_counts(built: Path, tmp_path: Path):
    root = tmp_path / "serial"
    shutil.copytree(built / "content", root / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), "--jobs", "1", cwd=root)
    assert result.returncode == 0, result.stderr
    assert snapshot_of(root / "_site") == snapshot_of(built / "_site")


def test_a_chart_drawing_every_row_is_refused_with_what_to_do(tmp_path: Path):
    root = make_site(tmp_path, {"nuage": SCATTER}, rows=20_000)
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert result.returncode == 1
    assert ("content/gros/charts/nuage.py:9:14: error[chart-too-heavy]: chart 'nuage' would draw 20,000 rows "
            "one mark each: over the 10,000 rows the picture readers get before JavaScript may hold") in result.stderr
    assert "hint: aggregate in the chart" in result.stderr
    assert not (root / "_site").exists()


def test_a_vega_lite_chart_drawing_every_row_is_refused_with_a_hint_in_vega_lite_json(tmp_path: Path):
    """The same refusal for a .vl.json chart: at the line of its data, the hint written in
    Vega-Lite JSON (what the author writes there), not in Altair's Python."""
    root = make_site(tmp_path, {"nuage": SCATTER}, rows=20_000)
    charts = root / "content" / "gros" / "charts"
    (charts / "nuage.py").unlink()
    spec = {"title": "Chaque transaction", "description": "Un point par transaction.",
            "data": {"url": "data/transactions.csv"}, "mark": "point",
            "encoding": {"x": {"field": "duree", "type": "quantitative"},
                         "y": {"field": "montant", "type": "quantitative"}}}
    (charts / "nuage.vl.json").write_text(json.dumps(spec, indent=2))
    line = json.dumps(spec, indent=2).split("\n").index('    "url": "data/transactions.csv"') + 1
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert result.returncode == 1
    assert (f"content/gros/charts/nuage.vl.json:{line}:" in result.stderr and
            "error[chart-too-heavy]: chart 'nuage' would draw 20,000 rows one mark each" in result.stderr)
    hint = result.stderr[result.stderr.index("error[chart-too-heavy]"):].split("\n")[1]
    assert '"bin": true' in hint and '"aggregate": "count"' in hint and "alt." not in hint and "transform_" not in hint
    assert not (root / "_site").exists()
