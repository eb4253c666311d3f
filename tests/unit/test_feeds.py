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
    text = feeds.sitemap(site(), STORIES, ["index.html", "404.html", "neuf/index.html", "neuf/embed/a.html",
                                           "brouillon/index.html"]).decode()
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
