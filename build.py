"""Build the site: `python build.py` (see README.md for the commands and options)."""
import sys

from broadsheet.cli import main

if __name__ == "__main__":
    sys.exit(main())
