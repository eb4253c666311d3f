"""The README and the author guide cover every error code and every option (house rule 12)."""
import re
from pathlib import Path

from helpers import REPO


def codes_in_engine() -> set[str]:
    codes = set()
    for path in (REPO / "broadsheet").rglob("*.py"):
        codes |= set(re.findall(r'(?:error|warning)\(\s*"([a-z-]+)"', path.read_text()))
    return codes


def test_readme_lists_every_error_code():
    readme = (REPO / "README.md").read_text()
    listed = set(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning) \|", readme, flags=re.M))
    assert listed == codes_in_engine()


def test_readme_lists_every_option():
    from broadsheet.cli import make_parser
    readme = (REPO / "README.md").read_text()
    parser = make_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        assert f"`{name}" in readme
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in readme, f"{option} of {name} is not in the README"


def test_readme_commands_match_ci():
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    test_command = re.search(r"\*\*Set up and run the tests\*\*.*?```sh\n(.+?)\n```", readme, re.S).group(1)
    assert test_command in ci


LIMITS = {  # the README's row (by what its last cell names) -> (module, constant, how the value is written)
    "MAX_NODES": ("yamlmap", "MAX_NODES", lambda v: f"{v:,} values"),
    "MAX_MARKDOWN_DEPTH": ("markup", "MAX_MARKDOWN_DEPTH", lambda v: f"{v} levels; {v}"),
    "MAX_FORMULA_TERMS": ("facts", "MAX_FORMULA_TERMS", lambda v: f"{v:,} terms"),
    "MAX_FORMULA_DEPTH": ("facts", "MAX_FORMULA_DEPTH", lambda v: f"nested {v} levels"),
    "MAX_SPEC_DEPTH": ("charts.sources", "MAX_SPEC_DEPTH", lambda v: f"{v} levels"),
    "MAX_CSV_BYTES": ("data", "MAX_CSV_BYTES", lambda v: f"{v / 2 ** 20:g} MB"),
    "MAX_LEDGER_BYTES": ("corrections", "MAX_LEDGER_BYTES", lambda v: f"{v / 1e6:g} MB"),
    "INLINE_ROWS": ("charts.large_tables", "INLINE_ROWS", lambda v: f"{v:,}"),
    "MAX_DRAWN_ROWS": ("charts.large_tables", "MAX_DRAWN_ROWS", lambda v: f"{v:,} rows"),
    "STATIC_BUDGET": ("charts.large_tables", "STATIC_BUDGET", lambda v: f"{v / 1024:g} KB gzip"),
    "RENDER_TIMEOUT": ("charts.engine", "RENDER_TIMEOUT", lambda v: f"{v:g} s"),
    "BROADSHEET_LOCK_WAIT": ("output", "LOCK_WAIT", lambda v: f"{v:g} s"),
    "STOP_WITHIN": ("cli", "STOP_WITHIN", lambda v: f"{v:g} s"),
    "BROADSHEET_MAX_JOBS": ("cli", "JOBS_PER_CORE", lambda v: f"{v} per core"),
    "BROADSHEET_BACKLOG": ("devserver", "BACKLOG", lambda v: f"{v:,}"),
    "BROADSHEET_IDLE_TIMEOUT": ("devserver", "IDLE_TIMEOUT", lambda v: f"{v:g} s"),
}


def test_the_safety_limits_table_holds_the_values_of_the_code():
    import importlib

    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("| limit | value | past it | change it |"):].split("\n\n")[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    checked = set()
    for name, (module, constant, written) in LIMITS.items():
        value = getattr(importlib.import_module(f"broadsheet.{module}"), constant)
        row = next((r for r in rows if f"`{name}" in r[3]), None)
        assert row is not None, f"no row of the limits table names {name}"
        assert written(value) in row[1], f"{constant} is {value}, the README says {row[1]!r}"
        checked.add(id(row))
    assert len(checked) == len(rows), "a row of the limits table is not checked against the code"


def test_every_limit_of_the_code_is_in_the_safety_table():
    readme = (REPO / "README.md").read_text()
    table = readme[readme.index("| limit | value | past it | change it |"):].split("\n\n")[0]
    for path in (REPO / "broadsheet").rglob("*.py"):
        for name in re.findall(r"^(MAX_[A-Z_]+|[A-Z_]*TIMEOUT|[A-Z_]*_WAIT|STOP_WITHIN|BACKLOG|[A-Z_]*BUDGET)\s*=",
                               path.read_text(), flags=re.M):
            assert f"`{name}`" in table or name in {"LOCK_WAIT", "BACKLOG", "IDLE_TIMEOUT"}, \
                f"{name} ({path.name}) is a limit the README's Safety table does not list"
