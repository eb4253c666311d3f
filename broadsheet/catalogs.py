"""The words of the page furniture, from gettext catalogs (Babel's message tools live here only).

The catalogs are `site_src/locale/<lang>/LC_MESSAGES/messages.po`, one per language, extracted
from the templates, the page script and render.py into `site_src/locale/messages.pot` (babel.cfg
says where; the README's "Languages" gives the commands). A `.po` is compiled to `.mo` at build
time, kept in the cache under the hash of its text, and never committed: what is in the repository
is what a translator edits. A message a catalog lacks reads in English (its msgid), and the build
says so (`i18n-missing`), so a page never shows a key or an empty spot.
"""
from __future__ import annotations

import gettext
import io
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .cache import digest
from .diagnostics import Diagnostic, SourceLocation, relative_path, warning

DOMAIN = "messages"
MO_VERSION = "mo-v1"  # part of the cache key: a new way of compiling is a new key
GAPS_VERSION = "gaps-v1"  # likewise for what a catalog lacks (problems)


@dataclass(frozen=True)
class Catalog:
    """One language's page words; English (the msgids) wherever it has none."""

    language: str
    translations: gettext.NullTranslations
    script_ids: tuple[str, ...]  # the messages broadsheet.js shows, sent to it with the page
    key: str = ""  # the hash of the .po: what a page rendered with this catalog depends on

    def gettext(self, msgid: str) -> str:
        return self.translations.gettext(msgid)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def script_words(self) -> dict[str, str]:
        """{msgid: text} of the page script's messages, for the page to hand to it."""
        return {msgid: self.gettext(msgid) for msgid in self.script_ids}


def po_path(locale_dir: Path, language: str) -> Path | None:
    """The catalog for `language`: its own (pt_BR), else its base language's (pt), else None."""
    code = language.replace("-", "_")
    for name in (code, code.split("_")[0]):
        path = locale_dir / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def languages(locale_dir: Path) -> list[str]:
    """The languages with a catalog, for hints."""
    if not locale_dir.is_dir():
        return []
    return sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def load(locale_dir: Path, language: str, cache=None) -> Catalog:
    """The catalog of `language`, compiled from its .po (or taken from the cache, by the .po's hash)."""
    path = po_path(locale_dir, language)
    po_text = path.read_bytes() if path else b""
    template = locale_dir / f"{DOMAIN}.pot"
    return _load(language, po_text, template.read_bytes() if template.is_file() else b"", cache)


@lru_cache(maxsize=32)
def _load(language: str, po_text: bytes, pot_text: bytes, cache) -> Catalog:
    """Kept in this process by the bytes it is made of: a page listing 10,000 stories asks for the
    catalog of each card's language, and parsing the .mo each time cost more than the page."""
    script_ids = _script_ids(pot_text)
    if not po_text:
        return Catalog(language, gettext.NullTranslations(), script_ids, "english")
    key = digest(MO_VERSION, po_text)
    compiled = cache.get("catalogs", key) if cache is not None else None
    if compiled is None:
        compiled = compile_po(po_text)
        if cache is not None:
            cache.put("catalogs", key, compiled)
    return Catalog(language, gettext.GNUTranslations(io.BytesIO(compiled)), script_ids, key)


@lru_cache(maxsize=64)
def compile_po(po_text: bytes) -> bytes:
    """A .po's text as a .mo file (fuzzy and empty translations left out: they read in English)."""
    out = io.BytesIO()
    write_mo(out, read_po(io.BytesIO(po_text)))
    return out.getvalue()


@lru_cache(maxsize=8)
def _script_ids(pot_text: bytes) -> tuple[str, ...]:
    """The msgids extracted from a script (.js) file: the ones the page script needs."""
    return tuple(sorted(msgid for msgid, from_script in _template(pot_text)
                        if from_script and isinstance(msgid, str)))


@lru_cache(maxsize=8)
def _template(pot_text: bytes) -> tuple[tuple[object, bool], ...]:
    """(msgid, whether a script uses it) of each message of messages.pot, parsed once per process:
    the catalogs and the check of what a catalog lacks both read it."""
    if not pot_text:
        return ()
    return tuple((m.id, any(path.endswith(".js") for path, _ in m.locations))
                 for m in read_po(io.BytesIO(pot_text)) if m.id)


def problems(locale_dir: Path, used: dict[str, SourceLocation], project: Path, cache=None) -> list[Diagnostic]:
    """`i18n-missing` for each language in use (`used`: language -> where it is set) whose catalog
    is absent, or lacks a message of the template (messages.pot), or leaves one untranslated or fuzzy.
    What a catalog lacks is kept in `cache` under its bytes and the template's, so that a build
    does not parse every .po again."""
    template_path = locale_dir / f"{DOMAIN}.pot"
    if not template_path.is_file():
        return []
    pot_text = template_path.read_bytes()
    found: list[Diagnostic] = []
    for language, where in sorted(used.items()):
        path = po_path(locale_dir, language)
        if path is None:
            have = ", ".join(languages(locale_dir)) or "none"
            found.append(warning(
                "i18n-missing", f"no catalog for language '{language}': the page's words will be in English",
                where, f"add {relative_path(locale_dir, project)}/{language.replace('-', '_')}/LC_MESSAGES/"
                       f"{DOMAIN}.po (docs/author-guide.md, \"Adding a language\"), or use one of: {have}"))
            continue
        found.extend(_cached_gaps(path.read_bytes(), pot_text, relative_path(path, project), cache))
    return found


def _cached_gaps(po_text: bytes, pot_text: bytes, rel: str, cache) -> list[Diagnostic]:
    key = digest(GAPS_VERSION, rel, pot_text, po_text)
    raw = cache.get("catalogs", key) if cache is not None else None
    if raw is not None:
        try:
            return [Diagnostic(**{**item, "location": SourceLocation(**item["location"])}) for item in json.loads(raw)]
        except (ValueError, TypeError, KeyError):
            pass  # not what this version writes: found again below
    found = _gaps(po_text, tuple(msgid for msgid, _ in _template(pot_text)), rel)
    if cache is not None:
        cache.put("catalogs", key, json.dumps([asdict(d) for d in found]).encode("utf-8"))
    return found


def _gaps(po_text: bytes, wanted: tuple, rel: str) -> list[Diagnostic]:
    catalog = read_po(io.BytesIO(po_text))
    found = []
    for msgid in wanted:
        message = catalog.get(msgid)
        text = msgid if isinstance(msgid, str) else msgid[0]
        if message is None:
            found.append(warning("i18n-missing", f"the catalog has no translation of {text!r}: it reads in English",
                                 SourceLocation(rel, 1), "run `pybabel update` (README, \"Languages\") and "
                                                         "translate the new message"))
        elif message.fuzzy or not (message.string if isinstance(message.string, str) else all(message.string)):
            found.append(warning("i18n-missing", f"{text!r} is not translated{' (fuzzy)' if message.fuzzy else ''}: "
                                 "it reads in English", SourceLocation(rel, message.lineno or 1),
                                 "write its msgstr (and remove the `fuzzy` flag once checked)"))
    return found
