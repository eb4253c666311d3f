"""Build the site: `python build.py` (see README.md for the commands and options)."""
import sys
from importlib.util import find_spec

# What the engine imports: checked first, so a Python without them (the system's instead of the
# project's .venv) gets one line that says what to type, not an import traceback mid-build.
REQUIRED = {"jinja2": "jinja2", "markdown": "markdown", "altair": "altair", "vl_convert": "vl-convert-python",
            "py_mini_racer": "mini-racer", "jsonschema_rs": "jsonschema-rs", "vegafusion": "vegafusion",
            "yaml": "pyyaml", "babel": "babel", "watchfiles": "watchfiles",
            "duckdb": "duckdb", "shapely": "shapely"}


def missing_packages() -> list:
    return [package for module, package in REQUIRED.items() if find_spec(module) is None]


if __name__ == "__main__":
    missing = missing_packages()
    if missing:
        print(f"broadsheet: error: this Python ({sys.executable}) lacks {', '.join(missing)}: set up the project's "
              "environment with `python3 -m venv .venv && .venv/bin/pip install -e .`, then run "
              "`.venv/bin/python build.py`", file=sys.stderr)
        sys.exit(2)
    from broadsheet.cli import main

    sys.exit(main())
