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
