"""Links that would run code are refused with their line, in Markdown and in sources; and should
one reach a page anyway, it is neutralised."""
import shutil
from pathlib import Path

from broadsheet.render import is_unsafe_url, neutralize_urls
from helpers import SITE_SRC, run_cli

FIXTURE = Path(__file__).parent / "sites" / "basic" / "content"


def test_javascript_links_and_source_urls_are_refused(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    story = tmp_path / "content" / "demo"
    section = story / "sections" / "01-salaires.md"
    section.write_text(section.read_text() + "\n[x](javascript:alert(1)) et [y]( JaVaScRiPt:alert(2)).\n\n"
                       "[ref]: vbscript:msgbox\n")
    facts = story / "facts.yaml"
    facts.write_text(facts.read_text().replace("url: https://time.com/6247678/openai-chatgpt-kenya-workers/",
                                               "url: javascript:alert(3)"))
    result = run_cli("check", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 1
    codes = [line.split(": ")[1] for line in result.stderr.splitlines() if ": error[" in line]
    assert codes.count("error[link-unsafe]") == 3 and codes.count("error[source-url]") == 1
    assert "content/demo/sections/01-salaires.md:10:5: error[link-unsafe]" in result.stderr


def test_unsafe_urls_are_neutralised_in_html():
    assert is_unsafe_url(" jav&#x09;ascript:alert(1)") or is_unsafe_url("javascript:alert(1)")
    assert not is_unsafe_url("data:image/png;base64,AAAA") and not is_unsafe_url("https://example.org/")
    html = '<a href="javascript:alert(1)">x</a><img src="data:image/gif;base64,R0">'
    assert neutralize_urls(html) == '<a href="#">x</a><img src="data:image/gif;base64,R0">'
