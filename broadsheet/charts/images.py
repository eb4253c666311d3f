"""Pictures an image mark shows, from the story's `media/` folder, carried inside the static SVG.

Why inside: the page shows the static picture as an `<img>`, and an SVG shown that way loads
nothing beside it (browsers block it), so an image mark's `media/dot.png` would be a blank square
there (and on the social card, which is rasterized from the same SVG). The live view loads the
published file by the same address, relative to the story's page.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from typing import Mapping

from ..diagnostics import Diagnostic, SourceLocation, error

_MEDIA_HREF = re.compile(r'(<image\b[^>]*?\bhref=")(media/[^"]*)(")')


def media_images(svg: str) -> list[str]:
    """The story files (`media/…`) the image marks of a drawing show, in drawing order, once each."""
    return list(dict.fromkeys(match.group(2).replace("&amp;", "&") for match in _MEDIA_HREF.finditer(svg)))


def with_media_inlined(svg: str, media: Mapping[str, bytes]) -> str:
    """The drawing with each `media/…` picture it shows written in as a data: address."""
    def inline(match: re.Match) -> str:
        path = match.group(2).replace("&amp;", "&")
        if path not in media:
            return match.group(0)
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return f"{match.group(1)}data:{kind};base64,{base64.b64encode(media[path]).decode('ascii')}{match.group(3)}"

    return _MEDIA_HREF.sub(inline, svg) if "media/" in svg else svg


def missing_media(chart_id: str, path: str, text: str, svg: str, media: Mapping[str, bytes]) -> list[Diagnostic]:
    """`chart-data-unknown` for each `media/…` picture a chart shows that the story's media/ lacks."""
    from .sources import line_of_token

    problems = []
    for name in media_images(svg):
        if name not in media:
            line, column = line_of_token(text, [name], 1)
            known = ", ".join(sorted(media)[:5]) or "nothing"
            problems.append(error("chart-data-unknown", f"chart '{chart_id}' shows the image '{name}', which is not "
                                  "in the story's media/ folder", SourceLocation(path, line, column),
                                  f"put the picture in media/ or correct its name (media/ holds {known})"))
    return problems
