"""Sitemap, robots.txt and the Atom feed, from a site made here."""
import datetime as dt

from broadsheet import feeds
from broadsheet.model import FactSet, Site, SiteConfig, Story, frozen_mapping


def story(slug: str, updated: str, title: str = "Un titre & plus") -> Story:
    return Story(slug, f"content/{slug}", title, "Le chapeau <court>", "La rédaction", "2023-05-15", updated, "fr",
                 "", None, (), FactSet(), frozen_mapping(), frozen_mapping(), (), ())


def site(absolute_url: str = "https://example.org/data/") -> Site:
    config = SiteConfig("Le site", "Des explications.", "fr", "/", absolute_url, "La rédaction", "content/site.yaml")
    return Site(config, (story("ancien", "2023-06-01"), story("neuf", "2024-01-02")), dt.date(2024, 2, 1))


def test_sitemap_lists_pages_but_404_and_embeds_with_story_dates():
    text = feeds.sitemap(site(), ["index.html", "404.html", "neuf/index.html", "neuf/embed/a.html"]).decode()
    assert "<loc>https://example.org/data/</loc>" in text
    assert "<loc>https://example.org/data/neuf/</loc><lastmod>2024-01-02</lastmod>" in text
    assert "404" not in text and "embed" not in text


def test_robots_names_the_sitemap_only_when_the_site_has_an_address():
    assert b"Sitemap: https://example.org/data/sitemap.xml" in feeds.robots(site())
    assert b"Sitemap" not in feeds.robots(site(""))


def test_atom_feed_newest_first_escaped():
    text = feeds.atom(site()).decode()
    assert text.index("/neuf/") < text.index("/ancien/")
    assert "Un titre &amp; plus" in text and "&lt;court&gt;" in text
    assert "<updated>2024-01-02T00:00:00Z</updated>" in text


def test_atom_feed_without_address_uses_a_urn():
    assert "urn:broadsheet:le-site" in feeds.atom(site("")).decode()
