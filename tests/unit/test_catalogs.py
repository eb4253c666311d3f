"""The page-word catalogs: messages.pot holds every message the templates, the page script and
render.py use (extracted again here with Babel, as babel.cfg says); French, English and German
translate every one; French puts its spaces before : ; ! ? and inside « », the others never do;
a missing translation reads in English and is an `i18n-missing` warning; a .po is compiled once
and then read from the cache."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from broadsheet import catalogs
from broadsheet.cache import DiskCache

REPO = Path(__file__).resolve().parents[2]
LOCALE = REPO / "site_src" / "locale"
COMPLETE = ("fr", "en", "de")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def extracted_ids() -> set[str]:
    """Every msgid Babel finds today with the project's babel.cfg."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(REPO / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(REPO), method_map, options_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def template_ids() -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(io.BytesIO((LOCALE / "messages.pot").read_bytes()))
            if m.id}


def test_messages_pot_is_up_to_date_with_the_code():
    assert extracted_ids() == template_ids(), "run `pybabel extract` (README, Languages)"


@pytest.mark.parametrize("language", COMPLETE)
def test_every_message_is_translated(language):
    path = LOCALE / language / "LC_MESSAGES" / "messages.po"
    assert catalogs.problems(LOCALE, {language: None}, REPO) == []
    catalog = read_po(io.BytesIO(path.read_bytes()))
    for msgid in template_ids():
        message = catalog.get(msgid) or next(m for m in catalog if m.id and m.id[0] == msgid)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings) and not message.fuzzy, f"{language}: {msgid!r}"
        for text in strings:  # a translation keeps the placeholders it is given
            wanted = set(re.findall(r"%\((\w+)\)s", msgid)) - {"num"}
            assert wanted <= set(re.findall(r"%\((\w+)\)s", text)), f"{language}: {msgid!r} -> {text!r}"


@pytest.mark.parametrize("language", COMPLETE)
def test_punctuation_follows_the_language(language):
    catalog = read_po(io.BytesIO((LOCALE / language / "LC_MESSAGES" / "messages.po").read_bytes()))
    texts = [t for m in catalog if m.id for t in ([m.string] if isinstance(m.string, str) else m.string)]
    french_space = re.compile(r"[\u00a0\u202f ][:;!?»]|«[\u00a0\u202f ]")
    bare = re.compile(r"[^\u00a0\u202f ][:;!?]|«[^\u00a0\u202f]")
    if language == "fr":
        assert not [t for t in texts if bare.search(t.replace("%(label)s:", ""))], "French wants a space before : ; ! ?"
        assert any("\u00a0:" in t for t in texts)
    else:
        assert not [t for t in texts if french_space.search(t)], f"{language}: no space before : ; ! ?"


def test_a_missing_translation_reads_in_english_with_a_warning(tmp_path: Path):
    locale = tmp_path / "locale"
    (locale / "de" / "LC_MESSAGES").mkdir(parents=True)
    (locale / "messages.pot").write_bytes((LOCALE / "messages.pot").read_bytes())
    german = (LOCALE / "de" / "LC_MESSAGES" / "messages.po").read_text()
    german = german.replace('msgstr "Daten anzeigen"', 'msgstr ""')
    (locale / "de" / "LC_MESSAGES" / "messages.po").write_text(german)
    found = catalogs.problems(locale, {"de": None}, tmp_path)
    assert [d.code for d in found] == ["i18n-missing"]
    assert found[0].severity == "warning"
    assert "'Show the data' is not translated" in found[0].message
    line = german.splitlines().index('msgid "Show the data"') + 1
    assert str(found[0].location) == f"locale/de/LC_MESSAGES/messages.po:{line}"
    catalog = catalogs.load(locale, "de")
    assert catalog.gettext("Show the data") == "Show the data"
    assert catalog.gettext("Download the data (CSV)") == "Daten herunterladen (CSV)"


def test_what_a_catalog_lacks_is_kept_in_the_cache_and_found_again_when_it_changes(tmp_path: Path, monkeypatch):
    locale = tmp_path / "locale"
    (locale / "de" / "LC_MESSAGES").mkdir(parents=True)
    (locale / "messages.pot").write_bytes((LOCALE / "messages.pot").read_bytes())
    po = locale / "de" / "LC_MESSAGES" / "messages.po"
    german = (LOCALE / "de" / "LC_MESSAGES" / "messages.po").read_text()
    po.write_text(german.replace('msgstr "Daten anzeigen"', 'msgstr ""'))
    cache = DiskCache(tmp_path / "cache")
    first = catalogs.problems(locale, {"de": None}, tmp_path, cache)
    assert [d.message for d in first] == ["'Show the data' is not translated: it reads in English"]

    parsed = []
    original = catalogs._gaps
    monkeypatch.setattr(catalogs, "_gaps", lambda *args: parsed.append(args) or original(*args))
    assert catalogs.problems(locale, {"de": None}, tmp_path, cache) == first  # the same, from the cache
    assert parsed == []
    po.write_text(german.replace('msgstr "Einbetten"', 'msgstr ""'))  # another gap: parsed again
    again = catalogs.problems(locale, {"de": None}, tmp_path, cache)
    assert len(parsed) == 1 and [d.message for d in again] == ["'Embed' is not translated: it reads in English"]


def test_a_message_the_catalog_lacks_is_reported(tmp_path: Path):
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (locale / "messages.pot").write_text('msgid "Embed"\nmsgstr ""\n\nmsgid "A new message"\nmsgstr ""\n')
    (locale / "fr" / "LC_MESSAGES" / "messages.po").write_text('msgid "Embed"\nmsgstr "Intégrer"\n')
    found = catalogs.problems(locale, {"fr": None}, tmp_path)
    assert [d.message for d in found] == ["the catalog has no translation of 'A new message': it reads in English"]


def test_a_regional_language_uses_its_base_catalog():
    assert catalogs.load(LOCALE, "fr-CA").gettext("Show the data") == "Voir les données"
    assert catalogs.load(LOCALE, "de_AT").gettext("Embed") == "Einbetten"
    assert catalogs.load(LOCALE, "ja").gettext("Embed") == "Embed"  # no catalog: English


def test_the_page_script_gets_only_its_own_messages():
    words = catalogs.load(LOCALE, "fr").script_words()
    assert words == {"%(label)s:": "%(label)s\u00a0:"}


def test_a_po_is_compiled_once_then_read_from_the_cache(tmp_path: Path, monkeypatch):
    cache = DiskCache(tmp_path / "cache")
    first = catalogs.load(LOCALE, "de", cache)
    assert len(list((tmp_path / "cache").rglob("*"))) >= 1
    monkeypatch.setattr(catalogs, "compile_po", lambda text: pytest.fail("compiled again"))
    catalogs._load.cache_clear()  # as another process: only the disk cache remembers
    again = catalogs.load(LOCALE, "de", cache)
    assert again.gettext("Embed") == first.gettext("Embed") == "Einbetten"
    assert again.key == first.key
    assert not list(LOCALE.rglob("*.mo"))  # nothing compiled is left in the repository


def test_a_catalog_is_parsed_once_per_process_and_again_when_its_po_changes(tmp_path: Path, monkeypatch):
    """A page listing thousands of stories asks for a catalog per card: the same bytes, the same
    catalog, not a new parse of its .mo each time."""
    parsed = []
    real = catalogs.gettext.GNUTranslations
    monkeypatch.setattr(catalogs.gettext, "GNUTranslations", lambda file: parsed.append(1) or real(file))
    locale = tmp_path / "locale"
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    po = locale / "fr" / "LC_MESSAGES" / "messages.po"
    po.write_bytes((LOCALE / "fr" / "LC_MESSAGES" / "messages.po").read_bytes())
    first = catalogs.load(locale, "fr", None)
    assert all(catalogs.load(locale, "fr", None) is first for _ in range(100))
    assert len(parsed) == 1
    po.write_bytes(po.read_bytes().replace(b'msgstr "Int\xc3\xa9grer"', b'msgstr "Incorporer"'))
    assert catalogs.load(locale, "fr", None).gettext("Embed") == "Incorporer"
    assert len(parsed) == 2
