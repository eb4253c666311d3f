"""One story as a single HTML file: its styles, scripts and pictures inlined."""
from broadsheet import export

FILES = {
    "s/index.html": b'<html><head><link rel="stylesheet" href="../assets/site.css"></head><body>'
                    b'<img src="media/a.png"><script src="../assets/app.js" defer></script>'
                    b'<a href="../other/">other</a></body></html>',
    "assets/site.css": b"body{color:red}",
    "assets/app.js": b"console.log('</script>')",
    "s/media/a.png": b"\x89PNG",
}


def test_local_resources_are_inlined():
    page = export.single_file(FILES, "s", "https://example.org/").decode()
    assert "<style>\nbody{color:red}</style>" in page
    assert "site.css" not in page and "app.js" not in page
    assert "data:image/png;base64," in page
    assert "<\\/script>" in page  # a script's text cannot close its own tag
