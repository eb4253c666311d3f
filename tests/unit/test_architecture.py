"""The import rules of DESIGN.md: readers never import each other; one third-party library a module; the
chart package has one face (nothing outside it imports its inner modules); only its worker module
knows about processes and threads."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "broadsheet"
CHARTS = PACKAGE / "charts"
READERS = {"facts", "data", "charts", "markup"}
THIRD_PARTY = {"yaml", "babel", "jinja2", "markupsafe", "markdown", "altair", "vl_convert", "watchfiles",
               "vegafusion", "arro3", "py_mini_racer", "jsonschema_rs", "duckdb", "shapely"}
ALLOWED = {  # module -> the third-party library it owns (markupsafe comes with jinja2, arro3 with vegafusion)
    "yamlmap": {"yaml"}, "i18n": {"babel"}, "catalogs": {"babel"}, "render": {"jinja2", "markupsafe"}, "markup": {"markdown"},
    "devserver": {"watchfiles"}, "sqlengine": {"duckdb"},
    # the chart package's inner modules
    "charts.sources": {"altair"}, "charts.schema": {"jsonschema_rs"}, "charts.drawing": {"vl_convert"},
    "charts.runtime": {"vl_convert"}, "charts.cards": {"vl_convert"}, "charts.engine": {"py_mini_racer"},
    "charts.large_tables": {"vegafusion", "arro3"}, "charts.geometry": {"shapely"},
}
CONCURRENCY = {"multiprocessing", "threading", "concurrent", "subprocess", "asyncio"}


def module_name(path: Path) -> str:
    """`story`, `charts` (the package's face), `charts.compiler`."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, everything: bool = False) -> tuple[set[str], set[str]]:
    """(engine modules imported, third-party libraries imported); an engine module by its dotted name
    under broadsheet (`charts`, `charts.drawing`, `story`). With `everything`, every top-level name."""
    internal, external = set(), set()
    package = module_name(path).split(".")[:-1] if path.name != "__init__.py" else module_name(path).split(".")
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else list(package)
            if node.module:
                internal.add(".".join(base + node.module.split(".")))
            else:
                internal.update(".".join(base + [alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
    return internal, external if everything else external & THIRD_PARTY


def engine_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_readers_do_not_import_each_other():
    for name in READERS:
        path = CHARTS / "__init__.py" if name == "charts" else PACKAGE / f"{name}.py"
        internal, _ = imports(path)
        tops = {module.split(".")[0] for module in internal}
        assert not (tops & (READERS - {name})), f"{name} imports {tops & READERS}"


def test_each_module_owns_at_most_one_third_party_library():
    for path in engine_modules():
        _, external = imports(path)
        assert external <= ALLOWED.get(module_name(path), set()), f"{module_name(path)} imports {external}"
        owned = {library for library in external if library not in ("markupsafe", "arro3")}
        assert len(owned) <= 1, f"{module_name(path)} imports {owned}"


def test_nothing_outside_the_chart_package_imports_its_inner_modules():
    for path in engine_modules():
        if path.is_relative_to(CHARTS):
            continue
        inner = {module for module in imports(path)[0] if module.startswith("charts.")}
        assert not inner, f"{module_name(path)} imports {inner}: import them from broadsheet.charts, its face"


def test_only_the_worker_module_knows_about_processes_and_threads():
    for path in sorted(CHARTS.glob("*.py")):
        _, names = imports(path, everything=True)
        if path.stem == "workers":
            continue
        assert not (names & CONCURRENCY), f"charts.{path.stem} imports {names & CONCURRENCY}"


def test_cli_imports_nothing_heavy_at_module_level():
    tree = ast.parse((PACKAGE / "cli.py").read_text())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = {getattr(n, "module", None) or n.names[0].name for n in top}
    assert names <= {"__future__", "argparse", "sys", "time", "pathlib"}


def test_no_function_in_the_engine_is_longer_than_60_lines():
    """A function that needs more than a screen to read does more than one thing (DESIGN.md)."""
    longest = 60
    too_long = []
    for path in engine_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > longest:
                    too_long.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({length} lines)")
    assert not too_long, "split these functions:\n" + "\n".join(too_long)
