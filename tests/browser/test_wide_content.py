"""What authors put in the text never makes the page scroll sideways: a photo wider than the column,
a long line of code (at the top level or in a box, as MkDocs writes it), at a phone's width and a
desktop's, with JavaScript and without."""
from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser

LONG = "x = [" + ", ".join(str(n) for n in range(60)) + "]"
SECTION = f"""## Pictures and code

![A wide photo of the stations](media/wide.png)

```python
{LONG}
```

!!! note "Code in a box"
    Before.

    ``` python
    {LONG}
    ```
"""


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("wide-source") / "content"
    shutil.copytree(REPO / "tests" / "sites" / "english" / "content", source)
    story = source / "bike-share"
    (story / "media").mkdir()
    (story / "media" / "wide.png").write_bytes(png(1600, 300))
    (story / "sections" / "03-pictures.md").write_text(SECTION, encoding="utf-8")
    return build_copy(source, tmp_path_factory.mktemp("wide"))


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("width", [320, 1280])
def test_a_wide_photo_and_long_code_stay_in_the_column(browser, serve, wide_site, width, js):
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=js)
    page = context.new_page()
    page.goto(serve(wide_site) + "bike-share/")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    photo = page.evaluate("(() => { const i = document.querySelector('.story-section img[src$=\"wide.png\"]');"
                          " const b = i.getBoundingClientRect(); return [b.width, b.height, i.naturalWidth]; })()")
    assert photo[0] < photo[2] and abs(photo[0] / photo[1] - 1600 / 300) < 0.05  # scaled down, not squashed
    assert page.locator(".story pre").count() == 2
    edges = page.evaluate("[...document.querySelectorAll('.story-section > pre, .story-section > p')]"
                          ".map(e => Math.round(e.getBoundingClientRect().left))")
    assert len(set(edges)) == 1, edges  # the code starts where the prose does
    context.close()
