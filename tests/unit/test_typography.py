"""French spaces before ; : ! ? and inside « guillemets », and where they must never go."""
import pytest

from broadsheet import markup, typography
from broadsheet.typography import NBSP, NNBSP, french

NO_FACTS = (lambda key, style: f"<b>{key}</b>", lambda chart: f"<figure>{chart}</figure>")


@pytest.mark.parametrize("typed, wanted", [
    ("Vraiment ? Oui !", f"Vraiment{NNBSP}? Oui{NNBSP}!"),
    ("Vraiment? Oui!", f"Vraiment{NNBSP}? Oui{NNBSP}!"),
    ("d’abord ; ensuite", f"d’abord{NNBSP}; ensuite"),
    ("d’abord; ensuite", f"d’abord{NNBSP}; ensuite"),
    ("Hypothèse : la suite", f"Hypothèse{NBSP}: la suite"),
    ("Hypothèse: la suite", f"Hypothèse{NBSP}: la suite"),
    ("Note :", f"Note{NBSP}:"),
    ("il dit « oui »", f"il dit «{NBSP}oui{NBSP}»"),
    ("il dit «oui»", f"il dit «{NBSP}oui{NBSP}»"),
    ("Quoi ?!", f"Quoi{NNBSP}?!"),
    ("Non!!!", f"Non{NNBSP}!!!"),
    ("« Vraiment? »", f"«{NBSP}Vraiment{NNBSP}?{NBSP}»"),
    ("15 $ ; 20 $", f"15 ${NNBSP}; 20 $"),
    ("(des Times) ; puis", f"(des Times){NNBSP}; puis"),
    ("le 30 novembre 2022", f"le 30{NBSP}novembre 2022"),
    ("le 1er mai", f"le 1er{NBSP}mai"),
    ("1 500 mai, 3,5 mars, 2023 mars, le 4 maison", "1 500 mai, 3,5 mars, 2023 mars, le 4 maison"),
])
def test_french_spaces(typed, wanted):
    assert french(typed) == wanted


@pytest.mark.parametrize("text", [
    "à 10:30, puis 1:2", "https://exemple.fr/page?q=1&a=b:c", "voir www.exemple.fr/?x=1;y=2",
    "écrire à redaction@exemple.fr", "(?)", "std::vector",
    f"déjà juste{NNBSP}; et{NBSP}: «{NBSP}ok{NBSP}»",
])
def test_left_alone(text):
    assert french(text) == text


def test_idempotent():
    once = french("Il dit : « oui » ; puis ? Non ! Voir https://x.fr/a?b=c : fin")
    assert french(once) == once
    assert "https://x.fr/a?b=c" in once and once.endswith(f"c{NBSP}: fin")


def test_character_before_a_piece_counts():
    assert french("?", before="t") == f"{NNBSP}?"
    assert french("»", before="i") == f"{NBSP}»"
    assert french("?", before=" ") == "?"


def test_only_french_gets_it():
    assert typography.for_language("fr") is french and typography.for_language("fr-CA") is french
    assert typography.for_language("en") is typography.english  # quotes only (test_english_quotes)
    assert typography.plain("en")("Really? Yes: « no »") == "Really? Yes: « no »"
    assert typography.plain("fr")("Vraiment?") == f"Vraiment{NNBSP}?"


def test_markdown_prose_gets_spaces_but_not_code_links_or_attributes():
    text = ("## Pourquoi?\n\nIl dit : « oui » ; et `a ? b : c` ou *vrai*? "
            "[lien : ici](https://x.fr/?q=1 \"titre ?\") à 10:30.\n\n"
            "```\nx = a ? b : c ;\n```\n\n!!! note \"Attention : encadré\"\n    Texte!\n")
    html = markup.render(text, *NO_FACTS, typography=french)
    assert f"<h2 id=\"pourquoi\">Pourquoi{NNBSP}?</h2>" in html
    assert f"Il dit{NBSP}: «{NBSP}oui{NBSP}»{NNBSP}; et <code>a ? b : c</code>" in html
    assert f"<em>vrai</em>{NNBSP}?" in html
    assert f'<a href="https://x.fr/?q=1" title="titre ?">lien{NBSP}: ici</a> à 10:30.' in html
    assert "x = a ? b : c ;" in html
    assert f"Attention{NBSP}: encadré" in html and f"Texte{NNBSP}!" in html


def test_markdown_facts_stay_as_their_template_made_them():
    html = markup.render("Il coûte {fact:wage} ? Oui : {fact:wage}! Et {fact:wage}, « {fact:wage} ».\n",
                         lambda key, style: '<button title="a : b">15 $</button>', NO_FACTS[1], typography=french)
    fact = '<button title="a : b">15 $</button>'
    assert html == (f'<p>Il coûte <span class="nowrap">{fact}{NNBSP}?</span> Oui{NBSP}: '
                    f'<span class="nowrap">{fact}{NNBSP}!</span> Et <span class="nowrap">{fact},</span> '
                    f'«{NBSP}<span class="nowrap">{fact}{NBSP}».</span></p>')


def test_markdown_without_typography_is_unchanged():
    assert markup.render("Il dit : « oui » ?\n", *NO_FACTS) == "<p>Il dit : « oui » ?</p>"


@pytest.mark.parametrize("text", ["a" * 100_000, "a@" * 50_000, "a.b-" * 25_000, "x@" + "b-" * 50_000,
                                  "\x02" * 100_000, " " * 100_000 + "?", "«" * 100_000])
def test_linear_on_long_runs(text):
    import time
    started = time.monotonic()
    french(text)
    assert time.monotonic() - started < 2.0  # was 34 s (80 s on this machine) for 100 KB of letters


def test_email_still_protected():
    assert french("écrivez à jean.dupont@exemple.fr ?") == "écrivez à jean.dupont@exemple.fr\u202f?"


def test_french_ordinals_become_superior_letters_in_text_only():
    from broadsheet.typography import ordinals_html
    page = ('<title>Le 1er mai</title><p class="x1er">Le 1er mai, la 2e fois, au XIXe siècle, '
            'la 1re ; pas A100e, 1e-3 ni 10,5e.</p><script>var a = "1er";</script>')
    out = ordinals_html(page)
    assert '<title>Le 1er mai</title>' in out and 'class="x1er"' in out and 'var a = "1er"' in out
    for ordinal in ('1<sup class="ordinal">er</sup>', '2<sup class="ordinal">e</sup>',
                    'XIX<sup class="ordinal">e</sup>', '1<sup class="ordinal">re</sup>'):
        assert ordinal in out
    assert "A100e" in out and "1e-3" in out and "10,5e" in out


def test_negative_numbers_take_the_real_minus_sign_in_prose_and_charts():
    from broadsheet import i18n
    assert i18n.format_value(-9.7, "percent", "fr") == "\u22129,7\u202f%"
    assert i18n.format_value(-1500, "USD", "en").startswith("\u2212") or "\u22121,500" in i18n.format_value(-1500, "USD", "en")
    assert i18n.d3_locales("fr")["number"]["minus"] == "\u2212"


def test_templates_and_catalogs_write_curly_apostrophes():
    """Readers' words (catalog translations, template text) use ’, never the typewriter's '."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "site_src"
    straight = re.compile(r"[^\W\d_]'[^\W\d_]")
    for po in sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        for line in po.read_text(encoding="utf-8").splitlines():
            if line.startswith("msgstr"):
                assert not straight.search(line), f"{po.name}: {line}"
    for template in sorted((root / "templates").glob("*.html")):
        text = re.sub(r"<[^>]*>|\{[{%#].*?[}%#]\}", " ", template.read_text(encoding="utf-8"), flags=re.S)
        assert not straight.search(text), f"{template.name}: {straight.search(text)}"
