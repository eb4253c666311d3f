"""Hostile and degenerate input (issue 23, part B): work that grows too fast, wrong output without a
word, misleading messages, tracebacks. Every case ends within a time bound as the exact diagnostic
the author sees, exit 1, the previous site byte-identical and no half-written folder.

The sites here have no chart, so a build takes about a second; each is given 60 s (a case that
hung before the fix ran for minutes)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, SITE_SRC, snapshot_of

TIMEOUT = 60
FACTS = ("facts:\n  wage:\n    value: 15\n    unit: USD\n    as_of: 2023-05-06\n    source: nbc\n"
         "    status: confirmed\nsources:\n  nbc:\n    name: N\n    publisher: NBC\n    url: https://nbc.com/\n")
BASE = {
    "site.yaml": "title: Test\nlanguage: fr\nabsolute_url: https://example.org/\n",
    "demo/index.md": "---\ntitle: Un titre\npublished: 2023-05-15\n---\nIntro {fact:wage}.\n",
    "demo/sections/01-texte.md": "## Texte\n\nLe salaire est de {fact:wage}.\n",
    "demo/facts.yaml": FACTS,
}
SUMMARY = "1 error in 1 file (nothing was written)\n"


def _bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _derived(lines: list[str]) -> str:
    return FACTS.replace("sources:\n", "".join(lines) + "sources:\n")


def _chain(count: int) -> list[str]:
    return [f"  f{i}:\n    formula: {'wage' if i == 1 else f'f{i - 1}'} + 1\n    unit: USD\n" for i in range(1, count + 1)]


def _facts_with(field: str, value: str) -> str:
    return FACTS.replace("    as_of: 2023-05-06\n", f"    as_of: 2023-05-06\n" if field != "as_of" else
                         f"    as_of: {value}\n").replace("    value: 15\n", f"    value: {value}\n" if field == "value"
                                                        else "    value: 15\n")


def _build(tmp_path: Path, files: dict, setup=None):
    content = tmp_path / "content"
    for name, text in {**BASE, **files}.items():
        if text is None:
            continue
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if setup is not None:
        setup(content)
    previous = tmp_path / "_site"
    previous.mkdir()
    (previous / ".broadsheet-output").write_text("marker\n")
    (previous / "index.html").write_text("<p>the previous, good site</p>\n")
    before = snapshot_of(previous)
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site-src", str(SITE_SRC),
                             "--no-cache"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert snapshot_of(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]
    return result.stderr


def _loop(folder: str, suffix: str):
    def setup(content: Path):
        where = content / "demo" / folder
        where.mkdir(parents=True, exist_ok=True)
        os.symlink(f"b{suffix}", where / f"a{suffix}")
        os.symlink(f"a{suffix}", where / f"b{suffix}")
    return setup


def _bad_name(folder: str, suffix: str):
    def setup(content: Path):
        where = content / "demo" / folder
        where.mkdir(parents=True, exist_ok=True)
        with open(os.path.join(os.fsencode(where), b"\xff" + suffix.encode()), "w") as handle:
            handle.write("x\n")
    return setup


def _replace(name: str, make):
    def setup(content: Path):
        path = content / name
        if path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
    return setup


HINT_LOOP = "  hint: replace the link with the file itself\n"
CASES = {
    # 1. work that grows too fast
    "alias-bomb-front-matter": (
        {"demo/index.md": "---\ntitle: T\npublished: 2023-05-15\n" + _bomb() + "---\nIntro {fact:wage}.\n"}, None,
        "content/demo/index.md:9:5: error[yaml-too-large]: aliases expand this value into more than 200,000 values\n"
        "  hint: write the values out instead of repeating them with `*aliases`\n" + SUMMARY),
    "alias-bomb-fact-note": (
        {"demo/facts.yaml": _bomb() + FACTS.replace("status: confirmed", "status: confirmed\n    note: *l8")}, None,
        "content/demo/facts.yaml:6:5: error[yaml-too-large]: aliases expand this value into more than 200,000 values\n"
        "  hint: write the values out instead of repeating them with `*aliases`\n" + SUMMARY),
    "alias-bomb-site-title": (
        {"site.yaml": _bomb() + "title: *l8\n"}, None,
        "content/site.yaml:6:5: error[yaml-too-large]: aliases expand this value into more than 200,000 values\n"
        "  hint: write the values out instead of repeating them with `*aliases`\n" + SUMMARY),
    "alias-refers-to-itself": (
        {"demo/facts.yaml": FACTS.replace("status: confirmed", "status: confirmed\n    note: &n [*n]")}, None,
        "content/demo/facts.yaml:8:11: error[yaml-too-large]: this value refers to itself through an alias\n"
        "  hint: an alias (`*name`) cannot point inside its own anchor (`&name`)\n" + SUMMARY),
    "fact-chain-1500": (
        {"demo/facts.yaml": _derived(_chain(1500))}, None,
        "content/demo/facts.yaml:606:5: error[formula-too-deep]: formula of 'f200' is too deep: written out with "
        "the formulas of the facts it is derived from, it would be nested 201 levels deep (at most 200)\n"
        "  hint: give one of the facts it is derived from a plain `value:`, or derive it in fewer steps\n" + SUMMARY),
    "fact-chain-500-cited": (
        {"demo/facts.yaml": _derived(_chain(500)), "demo/sections/01-texte.md": "## Texte\n\n{fact:f500}\n"}, None,
        "content/demo/facts.yaml:606:5: error[formula-too-deep]: formula of 'f200' is too deep: written out with "
        "the formulas of the facts it is derived from, it would be nested 201 levels deep (at most 200)\n"
        "  hint: give one of the facts it is derived from a plain `value:`, or derive it in fewer steps\n" + SUMMARY),
    "fact-cycle-1500": (
        {"demo/facts.yaml": _derived([f"  c{i}:\n    formula: c{(i + 1) % 1500} + wage\n    unit: USD\n"
                                      for i in range(1500)])}, None,
        "content/demo/facts.yaml:9:5: error[fact-cycle]: derived facts depend on each other in a cycle: c0 -> c1 -> "
        "c2 -> c3 -> c4 -> … 1491 more … -> c1496 -> c1497 -> c1498 -> c1499 -> c0\n"
        "  hint: one of these facts must have a plain `value:` instead of a formula\n" + SUMMARY),
    "facts-two-per-level": (
        {"demo/facts.yaml": _derived([f"  a{i}:\n    formula: {f'a{i - 1}' if i > 1 else 'wage'} + "
                                      f"{f'b{i - 1}' if i > 1 else 'wage'}\n    unit: USD\n  b{i}:\n    formula: "
                                      f"{f'a{i - 1}' if i > 1 else 'wage'} - {f'b{i - 1}' if i > 1 else 'wage'}\n"
                                      "    unit: USD\n" for i in range(1, 26)])}, None,
        "content/demo/facts.yaml:81:5: error[formula-too-deep]: formula of 'a13' is too deep: written out with the "
        "formulas of the facts it is derived from, it would hold 16,383 terms (at most 10,000)\n"
        "  hint: give one of the facts it is derived from a plain `value:`, or derive it in fewer steps\n"
        "content/demo/facts.yaml:84:5: error[formula-too-deep]: formula of 'b13' is too deep: written out with the "
        "formulas of the facts it is derived from, it would hold 16,383 terms (at most 10,000)\n"
        "  hint: give one of the facts it is derived from a plain `value:`, or derive it in fewer steps\n"
        "2 errors in 1 file (nothing was written)\n"),
    "formula-nested-300": (
        {"demo/facts.yaml": _derived(["  g:\n    formula: " + "-" * 300 + "wage\n    unit: USD\n"])}, None,
        "content/demo/facts.yaml:9:14: error[formula-too-deep]: formula of 'g': formula is nested more than 200 "
        "levels deep\n  hint: split it into several derived facts\n" + SUMMARY),
    "list-3000-deep": (
        {"demo/sections/01-texte.md": "## Texte\n\n{fact:wage}\n\n" + "".join("    " * i + "- x\n" for i in range(3000))},
        None,
        "content/demo/sections/01-texte.md:55:1: error[markdown-too-deep]: lists or quotes are nested 51 levels deep "
        "here (at most 50)\n  hint: flatten the nesting (a few levels are plenty); text indented this far is read "
        "as nested lists or code\n" + SUMMARY),
    "quote-3000-deep": (
        {"demo/sections/01-texte.md": "## Texte\n\n{fact:wage}\n\n" + ">" * 3000 + " x\n"}, None,
        "content/demo/sections/01-texte.md:5:1: error[markdown-too-deep]: lists or quotes are nested 3000 levels deep "
        "here (at most 50)\n  hint: flatten the nesting (a few levels are plenty); text indented this far is read "
        "as nested lists or code\n" + SUMMARY),
    "list-markers-3000": (
        {"demo/sections/01-texte.md": "## Texte\n\n{fact:wage}\n\n" + "- " * 3000 + "x\n"}, None,
        "content/demo/sections/01-texte.md:5:1: error[markdown-too-deep]: lists or quotes are nested 3000 levels deep "
        "here (at most 50)\n  hint: flatten the nesting (a few levels are plenty); text indented this far is read "
        "as nested lists or code\n" + SUMMARY),
    "brackets-4000-open": (
        {"demo/sections/01-texte.md": "## Texte\n\n{fact:wage}\n\n" + "[" * 4000 + "\n"}, None,
        "content/demo/sections/01-texte.md:5:51: error[markdown-too-deep]: this paragraph opens more than 50 `[` "
        "without closing them\n  hint: close each `[` with `]` and each `](` with `)`; a bracket meant as text is "
        "written `\\[`\n" + SUMMARY),
    "link-addresses-open": (
        {"demo/sections/01-texte.md": "## Texte\n\n{fact:wage}\n\n" + "[a](b \n" * 3000}, None,
        "content/demo/sections/01-texte.md:55:3: error[markdown-too-deep]: this paragraph opens more than 50 link "
        "addresses `](` without closing them\n  hint: close each `[` with `]` and each `](` with `)`; a bracket meant "
        "as text is written `\\[`\n" + SUMMARY),
    # 2. wrong output without a word
    "value-sexagesimal": (
        {"demo/facts.yaml": FACTS.replace("value: 15", "value: 1:20")}, None,
        "content/demo/facts.yaml:3:5: error[fact-value-type]: value of fact 'wage' must be a number, not '1:20'\n"
        "  hint: write the number alone, with a dot for decimals: `value: 700000`; put the unit in `unit:`\n" + SUMMARY),
    "as-of-list": (
        {"demo/facts.yaml": FACTS.replace("as_of: 2023-05-06", "as_of: [1, 2]")}, None,
        "content/demo/facts.yaml:5:5: error[fact-date]: as_of of fact 'wage' must be a date like 2023-02-09, 2023-02 "
        "or 2023, not '[1, 2]'\n  hint: write the day the figure describes as YYYY-MM-DD, or only its month "
        "(YYYY-MM) or year (YYYY) when the source gives no day\n" + SUMMARY),
    "as-of-free-text": (
        {"demo/facts.yaml": FACTS.replace("as_of: 2023-05-06", "as_of: l'an dernier")}, None,
        "content/demo/facts.yaml:5:5: error[fact-date]: as_of of fact 'wage' must be a date like 2023-02-09, 2023-02 "
        "or 2023, not \"l'an dernier\"\n  hint: write the day the figure describes as YYYY-MM-DD, or only its month "
        "(YYYY-MM) or year (YYYY) when the source gives no day\n" + SUMMARY),
    "as-of-month-13": (
        {"demo/facts.yaml": FACTS.replace("as_of: 2023-05-06", "as_of: 2023-13")}, None,
        "content/demo/facts.yaml:5:5: error[fact-date]: as_of of fact 'wage' must be a date like 2023-02-09, 2023-02 "
        "or 2023, not '2023-13'\n  hint: write the day the figure describes as YYYY-MM-DD, or only its month "
        "(YYYY-MM) or year (YYYY) when the source gives no day\n" + SUMMARY),
    "fact-key-yes": (
        {"demo/facts.yaml": FACTS.replace("  wage:", "  yes:"),
         "demo/index.md": "---\ntitle: Un titre\npublished: 2023-05-15\n---\nIntro {fact:yes}.\n",
         "demo/sections/01-texte.md": "## Texte\n\n{fact:nope}\n"}, None,
        "content/demo/sections/01-texte.md:3:1: error[fact-unknown]: unknown fact 'nope'\n"
        "  hint: facts are defined in content/demo/facts.yaml\n" + SUMMARY),
    # 3. misleading messages
    "fact-in-link-address": (
        {"demo/sections/01-texte.md": "## Texte\n\n{fact:wage} et [le lien](https://x.org/{fact:wage}).\n"}, None,
        "content/demo/sections/01-texte.md:3:40: error[directive-in-link]: '{fact:wage}' is written in a link's "
        "address\n  hint: a fact cannot be a link address: put it in the link's text, [{fact:key}](https://…), or "
        "outside the link\n" + SUMMARY),
    "fact-as-link-address": (
        {"demo/sections/01-texte.md": "## Texte\n\n[le lien]({fact:wage})\n"}, None,
        "content/demo/sections/01-texte.md:3:11: error[directive-in-link]: '{fact:wage}' is written in a link's "
        "address\n  hint: a fact cannot be a link address: put it in the link's text, [{fact:key}](https://…), or "
        "outside the link\n" + SUMMARY),
    "python-object-tag": (
        {"demo/facts.yaml": "facts: !!python/object:os.system {}\n"}, None,
        "content/demo/facts.yaml:1:8: error[yaml-tag]: YAML tags are not allowed: '!!python/object:os.system'\n"
        "  hint: remove the tag (the word starting with `!` or `!!`) and write a plain value; to keep `!` as text, "
        "quote the whole value\n" + SUMMARY),
    # 4. tracebacks
    "unknown-fact-in-indented-tilde-fence": (  # never closed: no fence, the list item's text (a closed one is code)
        {"demo/sections/01-texte.md": "## Texte\n\n{fact:wage}\n\n- item\n\n    ~~~\n    {fact:nope}\n"},
        None,
        "content/demo/sections/01-texte.md:8:5: error[fact-unknown]: unknown fact 'nope'\n"
        "  hint: facts are defined in content/demo/facts.yaml\n" + SUMMARY),
    "section-symlink-loop": ({}, _loop("sections", ".md"),
                             "content/demo/sections/a.md: error[file-unreadable]: 'content/demo/sections/a.md' cannot "
                             "be read: it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                             "content/demo/sections/b.md: error[file-unreadable]: 'content/demo/sections/b.md' cannot "
                             "be read: it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                             "2 errors in 2 files (nothing was written)\n"),
    "data-symlink-loop": ({}, _loop("data", ".csv"),
                          "content/demo/data/a.csv: error[file-unreadable]: 'content/demo/data/a.csv' cannot be read: "
                          "it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                          "content/demo/data/b.csv: error[file-unreadable]: 'content/demo/data/b.csv' cannot be read: "
                          "it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                          "2 errors in 2 files (nothing was written)\n"),
    "chart-symlink-loop": ({}, _loop("charts", ".py"),
                           "content/demo/charts/a.py: error[file-unreadable]: 'content/demo/charts/a.py' cannot be "
                           "read: it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                           "content/demo/charts/b.py: error[file-unreadable]: 'content/demo/charts/b.py' cannot be "
                           "read: it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                           "2 errors in 2 files (nothing was written)\n"),
    "media-symlink-loop": ({}, _loop("media", ".png"),
                           "content/demo/media/a.png: error[file-unreadable]: 'content/demo/media/a.png' cannot be "
                           "read: it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                           "content/demo/media/b.png: error[file-unreadable]: 'content/demo/media/b.png' cannot be "
                           "read: it is a link that leads back to itself (a loop)\n" + HINT_LOOP +
                           "2 errors in 2 files (nothing was written)\n"),
    "section-name-not-utf8": ({}, _bad_name("sections", ".md"),
                              "content/demo/sections/\ufffd.md: error[file-unreadable]: 'content/demo/sections/\ufffd.md'"
                              " cannot be read: its name is not UTF-8\n  hint: rename it with letters, digits and "
                              "hyphens (a name made elsewhere may hold bytes that are not text)\n" + SUMMARY),
    "media-name-not-utf8": ({}, _bad_name("media", ".png"),
                            "content/demo/media/\ufffd.png: error[file-unreadable]: 'content/demo/media/\ufffd.png'"
                            " cannot be read: its name is not UTF-8\n  hint: rename it with letters, digits and "
                            "hyphens (a name made elsewhere may hold bytes that are not text)\n" + SUMMARY),
    "facts-is-a-folder": ({}, _replace("demo/facts.yaml", lambda p: p.mkdir()),
                          "content/demo/facts.yaml: error[file-unreadable]: 'content/demo/facts.yaml' cannot be read: "
                          "it is a folder, not a file\n  hint: replace it with an ordinary file\n" + SUMMARY),
    "facts-is-a-pipe": ({}, _replace("demo/facts.yaml", os.mkfifo),
                        "content/demo/facts.yaml: error[file-unreadable]: 'content/demo/facts.yaml' cannot be read: "
                        "it is not a regular file (a pipe, a socket or a device)\n"
                        "  hint: replace it with an ordinary file\n" + SUMMARY),
    "section-is-a-folder": ({}, _replace("demo/sections/02-x.md", lambda p: p.mkdir()),
                            "content/demo/sections/02-x.md: error[file-unreadable]: 'content/demo/sections/02-x.md' "
                            "cannot be read: it is a folder, not a file\n"
                            "  hint: rename the folder, or move its files up\n" + SUMMARY),
    "section-is-a-pipe": ({}, _replace("demo/sections/02-x.md", os.mkfifo),
                          "content/demo/sections/02-x.md: error[file-unreadable]: 'content/demo/sections/02-x.md' "
                          "cannot be read: it is not a regular file (a pipe, a socket or a device)\n"
                          "  hint: replace it with an ordinary file\n" + SUMMARY),
    "csv-is-a-pipe": ({}, _replace("demo/data/pay.csv", os.mkfifo),
                      "content/demo/data/pay.csv: error[file-unreadable]: 'content/demo/data/pay.csv' "
                      "cannot be read: it is not a regular file (a pipe, a socket or a device)\n"
                      "  hint: replace it with an ordinary file\n" + SUMMARY),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_a_diagnostic_in_bounded_time(name: str, tmp_path: Path):
    files, setup, expected = CASES[name]
    assert _build(tmp_path, files, setup) == expected


def test_there_are_enough_cases():
    assert len(CASES) >= 20


def _good_build(tmp_path: Path, files: dict) -> str:
    content = tmp_path / "content"
    for name, text in {**BASE, **files}.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site-src", str(SITE_SRC),
                             "--no-cache"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    return (tmp_path / "_site" / "demo" / "index.html").read_text("utf-8")


def test_fact_in_alt_text_and_link_title_is_plain_text(tmp_path: Path):
    page = _good_build(tmp_path, {"demo/sections/01-texte.md":
                                  "## Texte\n\n{fact:wage}\n\n![Un salaire de {fact:wage}](https://example.org/x.png)\n\n"
                                  "[le lien](https://example.org/ \"salaire : {fact:wage}\")\n"})
    assert '<img alt="Un salaire de 15\u00a0$" src="https://example.org/x.png">' in page
    assert '<a href="https://example.org/" title="salaire : 15\u00a0$">le lien</a>' in page


def test_the_same_heading_in_two_sections_gets_two_ids(tmp_path: Path):
    page = _good_build(tmp_path, {"demo/sections/01-texte.md": "## Méthode\n\n{fact:wage}\n",
                                  "demo/sections/02-suite.md": "## Méthode\n\nSuite.\n\n## Méthode\n\nEncore.\n"})
    assert re.findall(r'<h2 id="(methode[^"]*)"', page) == ["methode", "methode_1", "methode_2"]


def test_sexagesimal_keys_and_partial_dates_print_as_written(tmp_path: Path):
    facts = FACTS.replace("as_of: 2023-05-06", "as_of: 2023-05").replace("  wage:", "  on:")
    page = _good_build(tmp_path, {"demo/facts.yaml": facts,
                                  "demo/index.md": "---\ntitle: Un titre\npublished: 2023-05-15\n---\nIntro {fact:on}.\n",
                                  "demo/sections/01-texte.md": "## Texte\n\nÀ 10:30, {fact:on}.\n"})
    assert "chiffre de mai 2023" in page and "10:30" in page


def test_a_closed_fence_indented_under_a_list_item_is_code_in_the_page_and_the_checks(tmp_path: Path):
    """As CommonMark reads it: the directive inside is code, shown as written, not a fact to check."""
    page = _good_build(tmp_path, {"demo/sections/01-texte.md":
                                  "## Texte\n\n{fact:wage}\n\n- item\n\n    ~~~\n    {fact:nope}\n    ~~~\n"})
    assert "<code>{fact:nope}" in page
