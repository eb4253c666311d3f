"""The stamps of a story folder (manifest.stamp): what tells a build that a story is as it was."""
import os
from pathlib import Path

from broadsheet import manifest


def _story(tmp_path: Path) -> Path:
    folder = tmp_path / "histoire"
    (folder / "sections").mkdir(parents=True)
    (folder / "index.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    (folder / "sections" / "01-a.md").write_text("Un.\n", encoding="utf-8")
    (folder / "facts.yaml").write_text("facts: {}\n", encoding="utf-8")
    return folder


def test_a_folder_as_it_was_gives_back_its_recorded_stamps(tmp_path: Path):
    folder = _story(tmp_path)
    known = manifest.stamp(folder, {})
    assert sorted(known) == ["facts.yaml", "index.md", "sections/01-a.md"]
    assert manifest.stamp(folder, known) is known
    assert manifest.stamp(folder, known, manifest.scan(os.fspath(folder))[1]) is known


def test_every_change_a_folder_can_take_gives_other_stamps(tmp_path: Path):
    folder = _story(tmp_path)
    known = manifest.stamp(folder, {})
    section = folder / "sections" / "01-a.md"

    os.utime(section, ns=(1, 1))  # the same bytes, another time: hashed again, to the same hash
    touched = manifest.stamp(folder, known)
    assert touched is not known and touched["sections/01-a.md"][2] == known["sections/01-a.md"][2]
    assert manifest.story_key("site", touched) == manifest.story_key("site", known)

    section.write_text("Deux.\n", encoding="utf-8")  # another content of the same size
    assert manifest.stamp(folder, known)["sections/01-a.md"][2] != known["sections/01-a.md"][2]

    section.rename(folder / "sections" / "01-b.md")  # as many files, one under another name
    renamed = manifest.stamp(folder, known)
    assert sorted(renamed) == ["facts.yaml", "index.md", "sections/01-b.md"]
    assert manifest.story_key("site", renamed) != manifest.story_key("site", known)

    (folder / "facts.yaml").chmod(0o600)  # permissions: a file made unreadable must be read again
    assert manifest.stamp(folder, renamed)["facts.yaml"][3] != renamed["facts.yaml"][3]

    (folder / "media").mkdir()
    (folder / "media" / "photo.jpg").write_bytes(b"\xff\xd8")
    assert "media/photo.jpg" in manifest.stamp(folder, known)


def test_a_damaged_record_entry_is_stamped_again(tmp_path: Path):
    folder = _story(tmp_path)
    known = manifest.stamp(folder, {})
    damaged = {**known, "index.md": known["index.md"][:2]}  # a record cut short
    assert manifest.stamp(folder, damaged) == known


def test_a_record_made_without_init_equals_one_made_with_it():
    """Records.unchanged makes 10,000 Listings without their __init__: the same value and fields,
    and a record that lacks a field, or has one too many, is refused as the __init__ refuses it."""
    from dataclasses import asdict

    import pytest

    from broadsheet.model import Listing, made

    listing = Listing("s", "content/s", "Titre", "Dek", "La rédaction", "2024-01-02", "", "fr", False,
                      {"url": "s/charts/a.svg"}, "s/card.png", (("en", "en/s/"),))
    fields = asdict(listing)
    again = made(Listing, **fields)
    assert type(again) is Listing and again == Listing(**fields) and vars(again) == vars(Listing(**fields))
    with pytest.raises(TypeError):
        made(Listing, **{name: value for name, value in fields.items() if name != "card"})
    with pytest.raises(TypeError):
        made(Listing, **fields, extra=1)


def test_a_listing_keys_alike_read_by_the_build_or_taken_from_its_record():
    """The listing pages are kept under the listings' key: a story read afresh (tuples) and the same
    story taken from the record (lists, from JSON) must give the same key, and any field a listing
    page shows must change it."""
    import json
    from dataclasses import asdict, replace

    from broadsheet import manifest
    from broadsheet.model import ArchivedStory, Listing, made

    listing = Listing("s", "content/s", "Titre", "Dek", "La rédaction", "2024-01-02", "", "fr", False,
                      {"url": "s/charts/a.svg"}, "s/card.png", (("en", "en/s/"),))
    recorded = made(Listing, **json.loads(json.dumps(asdict(listing))))
    assert recorded.alternates == [["en", "en/s/"]] and manifest.listing_key(recorded) == manifest.listing_key(listing)
    for changed in (replace(listing, title="Autre"), replace(listing, updated="2024-02-01"),
                    replace(listing, draft=True), replace(listing, alternates=())):
        assert manifest.listing_key(changed) != manifest.listing_key(listing)
    other = replace(listing, slug="t")
    kept = ArchivedStory(recorded, (), {}, (), 0, False, listing_key=manifest.listing_key(listing))
    keys = manifest.listing_keys([other, recorded], [kept])
    assert keys == manifest.listing_keys([listing, other]) == {"s": manifest.listing_key(listing),
                                                               "t": manifest.listing_key(other)}
    assert manifest.listings_key(keys) == manifest.listings_key(dict(reversed(keys.items())))
    assert manifest.listings_key(keys) != manifest.listings_key({"s": keys["s"]})
