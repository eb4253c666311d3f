"""Maps: each map's static picture and live geometry (bytes, raw and gzip) and its build cost.

    python bench/maps.py           # print the table
    python bench/maps.py --runs 5  # the median of more compilations

Each map is compiled as the build compiles it (`compile_job`, both layouts, no cache), in this
process, after one warm-up compilation (the Vega engine and Altair loaded): the figure is what one
map adds to a build. The maps: every chart of content/ that draws shapes, the 50 US states
(us-atlas 3.0.1 `states-10m.json`, 115 KB, from tests/maps/) shaded from a CSV, and France's 96
départements (IGN ADMIN EXPRESS-COG 2017, 63 KB, from tests/maps/) drawn by the author guide's
choropleth, every département given a value.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from broadsheet.charts import compiler  # noqa: E402

THEME = json.loads((REPO / "site_src" / "theme.json").read_text())
STATES = REPO / "tests" / "maps" / "us-states-10m.topojson"
DEPARTEMENTS = REPO / "tests" / "maps" / "departements-2017.topojson"
GUIDE = REPO / "docs" / "author-guide.md"
STATES_CHART = """import altair as alt
TITLE = "States"
ALT = "The 50 states shaded by the length of their name."
def chart(data, facts):
    states = alt.topo_feature("data/states.topojson", "states")
    return alt.Chart(states).mark_geoshape().transform_lookup(
        lookup="properties.name", from_=alt.LookupData(data["values"], key="name", fields=["value"])
    ).encode(color=alt.Color("value", type="quantitative"),
             tooltip=[alt.Tooltip("properties.name", type="nominal")]).project("albersUsa")
"""


def story_jobs() -> list[tuple[str, compiler.ChartJob]]:
    jobs = []
    for story in sorted(p for p in (REPO / "content").iterdir() if (p / "charts").is_dir()):
        csvs = tuple((p.stem, str(p.relative_to(REPO)), p.read_bytes(), b"")
                     for p in sorted((story / "data").iterdir()) if p.is_file())
        for chart in sorted((story / "charts").glob("*.py")):
            text = chart.read_text()
            if "geoshape" not in text:
                continue
            job = compiler.ChartJob(chart.stem, str(chart), str(chart.relative_to(REPO)), text, csvs,
                                    (story / "facts.yaml").read_text(), str((story / "facts.yaml").relative_to(REPO)),
                                    THEME, "fr")
            jobs.append((f"{story.name}/{chart.stem}", job))
    return jobs


def states_job(folder: Path) -> tuple[str, compiler.ChartJob]:
    chart = folder / "states.py"
    chart.write_text(STATES_CHART)
    names = [g["properties"]["name"] for g in json.loads(STATES.read_text())["objects"]["states"]["geometries"]]
    table = ("name,value\n" + "".join(f"{name},{len(name)}\n" for name in names)).encode()
    csvs = (("states", "data/states.topojson", STATES.read_bytes(), b""), ("values", "data/values.csv", table, b""))
    return "us-states (choropleth)", compiler.ChartJob("states", str(chart), "charts/states.py", STATES_CHART, csvs,
                                                       "facts: {}\n", "facts.yaml", THEME, "en")


def guide_chart() -> str:
    """The author guide's choropleth code, as a journalist copies it."""
    guide = GUIDE.read_text(encoding="utf-8")
    start = guide.index("```python\n", guide.index("**3. The chart**")) + len("```python\n")
    return guide[start:guide.index("```", start)]


def departements_job(folder: Path) -> tuple[str, compiler.ChartJob]:
    code = guide_chart()
    chart = folder / "chomage.py"
    chart.write_text(code)
    codes = [g["id"] for g in json.loads(DEPARTEMENTS.read_text())["objects"]["departements"]["geometries"]]
    table = ("code,departement,taux\n" + "".join(f"{c},,{4 + i % 9}.5\n" for i, c in enumerate(codes))).encode()
    csvs = (("departements", "data/departements.topojson", DEPARTEMENTS.read_bytes(), b""),
            ("chomage", "data/chomage.csv", table, b""))
    facts = ("facts: {}\nsources:\n  insee:\n    name: Insee\n    publisher: Insee\n    date: 2024-01-01\n"
             "  ign_admin_express:\n    name: ADMIN EXPRESS\n    publisher: IGN\n    date: 2024-01-01\n")
    return "départements (the guide's choropleth)", compiler.ChartJob("chomage", str(chart), "charts/chomage.py", code,
                                                                      csvs, facts, "facts.yaml", THEME, "fr")


def measure(job: compiler.ChartJob, runs: int) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = compiler.compile_job(job)
        times.append(time.perf_counter() - start)
    entry = result.entry
    geometry = [content for path, content in result.files if "/shapes." in path]
    narrow = entry.narrow.svg if entry.narrow else ""
    return {"picture": len(gzip.compress(entry.svg.encode(), 6)),
            "narrow": len(gzip.compress(narrow.encode(), 6)) if narrow else 0,
            "geometry_raw": sum(map(len, geometry)),
            "geometry": sum(len(gzip.compress(g, 6)) for g in geometry),
            "source": sum(len(c[2]) for c in job.csvs if c[1].endswith((".topojson", ".geojson"))),
            "ms": statistics.median(times) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        jobs = story_jobs() + [states_job(Path(folder)), departements_job(Path(folder))]
        compiler.compile_job(jobs[0][1])  # warm-up: the engine, Altair, Shapely
        print("| map | shapes file | static picture, wide / narrow (gzip) | live geometry (raw / gzip) | build (both layouts) |")
        print("| --- | --- | --- | --- | --- |")
        for name, job in jobs:
            m = measure(job, args.runs)
            print(f"| {name} | {m['source'] / 1024:.0f} KB | {m['picture'] / 1024:.1f} / {m['narrow'] / 1024:.1f} KB "
                  f"| {m['geometry_raw'] / 1024:.0f} / {m['geometry'] / 1024:.1f} KB | {m['ms']:.0f} ms |")


if __name__ == "__main__":
    main()
