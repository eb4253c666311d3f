"""Sitemap, robots.txt and the Atom feed, from a site made here."""
import datetime as dt

from broadsheet import feeds
from broadsheet.model import Listing, Site, SiteConfig


def story(slug: str, updated: str, title: str = "Un titre & plus", draft: bool = False) -> Listing:
    return Listing(slug, f"content/{slug}", title, "Le chapeau <court>", "La rédaction", "2023-05-15", updated, "fr",
                   draft, None, "")


STORIES = [story("ancien", "2023-06-01"), story("neuf", "2024-01-02"), story("brouillon", "2024-05-01", draft=True)]


def site(absolute_url: str = "https://example.org/data/") -> Site:
    config = SiteConfig("Le site", "Des explications.", "fr", "/", absolute_url, "La rédaction", "content/site.yaml")
    return Site(config, (), dt.date(2024, 2, 1))


def test_sitemap_lists_pages_but_404_and_embeds_with_story_dates():
    files = feeds.sitemaps(site(), STORIES, ["index.html", "404.html", "neuf/index.html", "neuf/embed/a.html",
                                             "brouillon/index.html"])
    assert list(files) == ["sitemap.xml"]
    text = files["sitemap.xml"].decode()
    assert "<loc>https://example.org/data/</loc>" in text
    assert "<loc>https://example.org/data/neuf/</loc><lastmod>2024-01-02</lastmod>" in text
    assert "404" not in text and "embed" not in text and "brouillon" not in text


def test_robots_names_the_sitemap_only_when_the_site_has_an_address():
    assert b"Sitemap: https://example.org/data/sitemap.xml" in feeds.robots(site())
    assert b"Sitemap" not in feeds.robots(site(""))


def test_atom_feed_newest_first_escaped():
    text = feeds.atom(site(), STORIES).decode()
    assert text.index("/neuf/") < text.index("/ancien/")
    assert "Un titre &amp; plus" in text and "&lt;court&gt;" in text
    assert "<updated>2024-01-02T00:00:00Z</updated>" in text and "brouillon" not in text


def test_atom_feed_without_address_uses_a_urn():
    assert "urn:broadsheet:le-site" in feeds.atom(site(""), STORIES).decode()


def test_past_the_limit_the_sitemap_is_an_index_of_sitemaps():
    pages = [f"s{n}/index.html" for n in range(5)]
    files = feeds.sitemaps(site(), [], pages, per_file=2)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = files["sitemap.xml"].decode()
    assert "<sitemapindex" in index and "<loc>https://example.org/data/sitemap-3.xml</loc>" in index
    assert files["sitemap-3.xml"].decode().count("<url>") == 1 and "s4/" in files["sitemap-3.xml"].decode()
    assert sum(files[name].decode().count("<url>") for name in files) == 5


def test_the_feed_carries_the_newest_stories_only():
    text = feeds.atom(site(), STORIES, newest=1).decode()
    assert text.count("<entry>") == 1 and "/neuf/" in text


def translated() -> list[Listing]:
    """A French story and its English translation at en/velos/; an English story with no French, at its root."""
    both = (("fr", "velos/"), ("en", "en/velos/"))
    french = Listing("velos", "content/velos", "Les vélos", "", "", "2024-01-01", "2024-01-01", "fr", False, None, "",
                     both)
    english = Listing("en/velos", "content/velos", "Bikes", "", "", "2024-01-01", "2024-01-01", "en", False, None, "",
                      both)
    alone = Listing("ports", "content/ports", "Ports", "", "", "2024-01-01", "2024-01-01", "en", False, None, "")
    return [french, english, alone]


def test_each_language_feed_has_its_own_id_self_and_home():
    english = feeds.atom(site(), translated(), language="en").decode()
    head = english[:english.index("<entry>")]
    assert "<id>https://example.org/data/en/</id>" in head
    assert '<link rel="self" type="application/atom+xml" href="https://example.org/data/en/feed.xml"/>' in head
    assert '<link rel="alternate" type="text/html" href="https://example.org/data/en/"/>' in head
    french = feeds.atom(site(), translated()).decode()
    assert "<id>https://example.org/data/</id>" in french[:french.index("<entry>")]
    bare = feeds.atom(site(""), translated(), language="en").decode()  # no address: an id of its own all the same
    assert "<id>urn:broadsheet:le-site:en</id>" in bare and 'rel="alternate" type="text/html" href="./"' in bare


def test_a_language_feed_without_a_home_of_its_own_leads_to_the_sites():
    only = [listing for listing in translated() if listing.slug == "ports"]
    english = feeds.atom(site(""), only, language="en").decode()
    assert "<id>urn:broadsheet:le-site:en</id>" in english
    assert '<link rel="alternate" type="text/html" href="../"/>' in english  # en/feed.xml -> the site's home


def test_the_sitemap_names_each_home_and_story_in_its_other_languages():
    pages = ["index.html", "en/index.html", "velos/index.html", "en/velos/index.html", "ports/index.html"]
    text = feeds.sitemaps(site(), translated(), pages)["sitemap.xml"].decode()
    root = "https://example.org/data/"
    homes = (f'<xhtml:link rel="alternate" hreflang="fr" href="{root}"/>'
             f'<xhtml:link rel="alternate" hreflang="en" href="{root}en/"/>'
             f'<xhtml:link rel="alternate" hreflang="x-default" href="{root}"/>')
    assert f"<loc>{root}</loc>{homes}</url>" in text and f"<loc>{root}en/</loc>{homes}</url>" in text
    assert f'<loc>{root}en/velos/</loc><lastmod>2024-01-01</lastmod><xhtml:link rel="alternate" hreflang="fr" ' \
           f'href="{root}velos/"/>' in text
    assert text.count(f'hreflang="x-default" href="{root}velos/"') == 2
    assert f"<loc>{root}ports/</loc><lastmod>2024-01-01</lastmod></url>" in text  # one language: no alternates
