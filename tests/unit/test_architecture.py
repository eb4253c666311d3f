"""The import rules of DESIGN.md: readers never import each other; one third-party library a module."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "broadsheet"
READERS = {"facts", "data", "charts", "markup"}
THIRD_PARTY = {"yaml", "babel", "jinja2", "markupsafe", "markdown", "altair", "vl_convert", "watchfiles",
               "vegafusion", "arro3", "py_mini_racer", "jsonschema_rs"}
ALLOWED = {  # module -> the third-party library it owns (markupsafe comes with jinja2, arro3 with vegafusion)
    "yamlmap": {"yaml"}, "i18n": {"babel"}, "render": {"jinja2", "markupsafe"}, "markup": {"markdown"},
    "charts": {"altair"}, "fallback": {"vl_convert"}, "devserver": {"watchfiles"},
    "pretransform": {"vegafusion", "arro3"}, "vegajs": {"py_mini_racer"},
    "vlschema": {"jsonschema_rs"},
}


def imports(path: Path) -> tuple[set[str], set[str]]:
    internal, external = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.module:
                internal.add(node.module.split(".")[0])
            else:
                internal.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
    return internal, external & THIRD_PARTY


def test_readers_do_not_import_each_other():
    for name in READERS:
        internal, _ = imports(PACKAGE / f"{name}.py")
        assert not (internal & (READERS - {name})), f"{name} imports {internal & READERS}"


def test_each_module_owns_at_most_one_third_party_library():
    for path in PACKAGE.glob("*.py"):
        _, external = imports(path)
        assert external <= ALLOWED.get(path.stem, set()), f"{path.name} imports {external}"


def test_cli_imports_nothing_heavy_at_module_level():
    tree = ast.parse((PACKAGE / "cli.py").read_text())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = {getattr(n, "module", None) or n.names[0].name for n in top}
    assert names <= {"__future__", "argparse", "sys", "time", "pathlib"}
