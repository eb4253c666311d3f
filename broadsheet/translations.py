"""One story in several languages: where each language is published, and the checks that keep a
translation from drifting away from its original.

A story folder's `index.md` is the original, in its `language:`; `index.LL.md` beside it is the
story in language LL, with its sections under `sections/LL/` (the same file names as the
original's). Facts' values, data, chart code and sources are the folder's, shared by every
language. The version in the site's language is published at `SLUG/`, every other at `LL/SLUG/`
(when no version is in the site's language, the original keeps `SLUG/`: a story that gains a
translation never moves).
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .diagnostics import Diagnostic, SourceLocation, error, warning

TRANSLATION_INDEX = re.compile(r"^index\.([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$")


def translation_files(folder: Path) -> list[tuple[str, Path]]:
    """(language, index.LL.md) of each translation in a story folder, in language order."""
    found = []
    for path in sorted(folder.glob("index.*.md")):
        match = TRANSLATION_INDEX.match(path.name)
        if match and path.is_file():
            found.append((match.group(1), path))
    return found


def has_translations(folder: Path) -> bool:
    return bool(translation_files(folder))


def site_paths(folder: str, original: str, languages: list[str], site_language: str) -> dict[str, str]:
    """{language: the story's site path in it}: `SLUG/` for the site's language (or for the
    original when no version is in it), `LL/SLUG/` for each other."""
    root = site_language if site_language in [original, *languages] else original
    return {language: f"{folder}/" if language == root else f"{language}/{folder}/"
            for language in [original, *languages]}


def slug_of(path: str) -> str:
    return path.rstrip("/")


def _cited(section) -> tuple[list[str], list[str]]:
    facts = list(dict.fromkeys(d.name for d in section.directives if d.kind in ("fact", "scenario")))
    charts = list(dict.fromkeys(d.name for d in section.directives if d.kind == "chart"))
    return facts, charts


def drift(original_pieces: list, translated_pieces: list, language: str, translated_folder: str,
          index_path: str) -> list[Diagnostic]:
    """`translation-sections`: a section of the original with no file of the same name under
    sections/LL/ (or one the original lacks); `translation-facts`: a translated section that cites
    other facts or charts than the original's section of the same name (each number and chart must
    say the same thing in every language)."""
    found: list[Diagnostic] = []
    theirs = {posixpath.basename(piece.path): piece for piece in translated_pieces if piece.path != index_path}
    ours = {posixpath.basename(piece.path): piece for piece in original_pieces if not piece.path.endswith("index.md")}
    for name in sorted(set(ours) - set(theirs)):
        found.append(warning("translation-sections", f"section '{name}' of the original has no translation in "
                             f"'{language}'", SourceLocation(ours[name].path, 1),
                             f"write {translated_folder}/{name}, the same section in '{language}'"))
    for name in sorted(set(theirs) - set(ours)):
        found.append(warning("translation-sections", f"'{theirs[name].path}' translates no section of the original",
                             SourceLocation(theirs[name].path, 1),
                             f"name it as the original section it translates ({', '.join(sorted(ours)) or 'none'})"))
    pairs = [(ours[name], theirs[name]) for name in sorted(set(ours) & set(theirs))]
    intro = [piece for piece in translated_pieces if piece.path == index_path]
    first = [piece for piece in original_pieces if piece.path.endswith("index.md")]
    pairs += [(first[0], intro[0])] if first and intro else []
    for mine, translated in pairs:
        found += _compare(mine, translated, language)
    return found


def _compare(original, translated, language: str) -> list[Diagnostic]:
    (facts, charts), (their_facts, their_charts) = _cited(original), _cited(translated)
    missing = [f"{{fact:{k}}}" for k in facts if k not in their_facts] + \
        [f"{{chart:{k}}}" for k in charts if k not in their_charts]
    extra = [f"{{fact:{k}}}" for k in their_facts if k not in facts] + \
        [f"{{chart:{k}}}" for k in their_charts if k not in charts]
    if not missing and not extra:
        return []
    said = []
    if missing:
        said.append(f"leaves out {', '.join(missing)}")
    if extra:
        said.append(f"cites {', '.join(extra)}, which the original does not")
    extra_names = {e.split(":", 1)[1].rstrip("}") for e in extra}
    where = next((d.location for d in translated.directives if d.name in extra_names),
                 SourceLocation(translated.path, translated.line_offset + 1))
    return [warning("translation-facts", f"the '{language}' translation {' and '.join(said)} "
                    f"(original: {original.path})", where,
                    "cite the same facts and charts as the original section, so every language says the same "
                    "numbers")]


def stale(original_updated: str, translated_updated: str, language: str, where: SourceLocation,
          original_path: str) -> list[Diagnostic]:
    """`translation-stale`: the original was updated after the translation last was."""
    if not original_updated or not translated_updated or translated_updated >= original_updated:
        return []
    return [warning("translation-stale", f"the '{language}' translation was last updated {translated_updated}, "
                    f"the original on {original_updated}", where,
                    f"bring the translation up to date with {original_path}, then set its `updated:` (or add an "
                    "`updates:` entry)")]


def language_problem(language: str, original: str, where: SourceLocation, known: bool) -> list[Diagnostic]:
    if not known:
        return [error("translation-language", f"'{language}' is not a language code", where,
                      "name a translation index.LL.md with a language code such as en, de, pt-BR")]
    if language == original:
        return [error("translation-language", f"index.{language}.md translates the story into its own "
                      f"language ('{original}', the `language:` of index.md)", where,
                      "name the file after the translation's language, or change the original's `language:`")]
    return []
