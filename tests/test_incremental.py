"""The cache recompiles exactly the charts whose inputs changed, and a build with nothing changed
never imports Altair or vl-convert."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO, SITE_SRC, run_cli

FIXTURE = Path(__file__).parent / "sites" / "basic" / "content"


def from_cache(workdir: Path) -> int:
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=workdir)
    assert result.returncode == 0, result.stderr
    return int(re.search(r"\((\d+) from cache\)", result.stdout).group(1))


def test_each_edit_recompiles_only_the_charts_that_read_it(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    story = tmp_path / "content" / "demo"
    assert from_cache(tmp_path) == 0
    assert from_cache(tmp_path) == 3
    prose = story / "sections" / "01-salaires.md"
    prose.write_text(prose.read_text() + "\nUne phrase de plus.\n")
    assert from_cache(tmp_path) == 3  # prose: no chart runs
    facts = story / "facts.yaml"
    facts.write_text(facts.read_text().replace("value: 1.32", "value: 1.33"))
    assert from_cache(tmp_path) == 3  # a fact no chart reads
    facts.write_text(facts.read_text().replace("value: 2\n", "value: 3\n"))
    assert from_cache(tmp_path) == 2  # kenya_high: only the pay chart reads it (in its alt text)
    facts.write_text(facts.read_text().replace("value: 15\n", "value: 16\n"))
    assert from_cache(tmp_path) == 0  # hourly_wage: the calculator's slider, and the others' words
    csv = story / "data" / "pay.csv"
    csv.write_text(csv.read_text() + "Remotasks (USA),18,États-Unis\n")
    assert from_cache(tmp_path) == 1  # pay.csv: the two charts that show it
    chart = story / "charts" / "share.vl.json"
    chart.write_text(chart.read_text().replace('"size": 80', '"size": 90'))
    assert from_cache(tmp_path) == 2  # one chart's own code


def test_cached_build_imports_neither_altair_nor_a_javascript_engine(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    assert from_cache(tmp_path) == 0
    probe = ("import sys; from broadsheet.cli import main; code = main(['build', '--site-src', sys.argv[1]]); "
             "print(code, 'altair' in sys.modules, 'vl_convert' in sys.modules, 'py_mini_racer' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe, str(SITE_SRC)], cwd=tmp_path, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.stdout.strip().splitlines()[-1] == "0 False False False"


def test_an_edited_engine_never_serves_pictures_the_old_one_drew(tmp_path: Path):
    """Compiled charts are kept under Broadsheet's own code too: after an upgrade (here, a copy of
    the engine with one line changed) every chart is drawn again, none comes from the cache."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    engine = tmp_path / "engine"
    shutil.copytree(REPO / "broadsheet", engine / "broadsheet", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(engine)}
    probe = "import sys, broadsheet; from broadsheet.cli import main; sys.exit(main(['build', '--site-src', sys.argv[1]]))"

    def cached() -> int:
        result = subprocess.run([sys.executable, "-c", probe, str(SITE_SRC)], cwd=tmp_path, capture_output=True,
                                text=True, env=env)
        assert result.returncode == 0, result.stderr
        return int(re.search(r"\((\d+) from cache\)", result.stdout).group(1))

    assert cached() == 0
    assert cached() == 3
    numbers = engine / "broadsheet" / "charts" / "numbers.py"
    numbers.write_text(numbers.read_text() + "\n# a release later\n")
    assert cached() == 0
