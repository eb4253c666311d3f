"""Social cards: a story's 1200x630 link-preview PNG, its headline over the lead chart (vl-convert's
rasterizer lives here)."""
from __future__ import annotations

import re

from .drawing import printable, svg_size


CARD_WIDTH, CARD_HEIGHT = 1200, 630


CARD_WIDTH, CARD_HEIGHT = 1200, 630


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def social_card(headline: str, site_name: str, chart_svg: str | None) -> bytes:
    """A 1200x630 PNG for link previews: the headline (up to three lines of about 40 characters)
    over the lead chart, the site's name at the foot. The card is one SVG document, rasterized once
    by vl-convert: its words are plain SVG text (the lines are cut by character count, so nothing
    needs measuring), and the chart enters as its static SVG, what readers without JavaScript
    see, nested as vector drawing (cheaper to rasterize than an image holding the SVG; see the README)."""
    import vl_convert

    headline, site_name = printable(headline), printable(site_name)
    lines = _wrap(headline, 40)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    font = 'font-family="Liberation Sans, Arial, sans-serif" font-weight="bold"'
    title = "".join(f'<tspan x="60" y="{90 + 60 * index}">{_xml_text(line)}</tspan>' for index, line in enumerate(lines))
    card = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
            f'viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}"><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#fdfcf9"/>'
            f'<text {font} font-size="50" fill="#1d1d1f">{title}</text>'  # first baseline 40 below the top, 50
            f'<text x="60" y="{CARD_HEIGHT - 45}" {font} font-size="24" fill="#b3261e">'
            f'{_xml_text(site_name.upper())}</text>')
    if chart_svg:
        top = 50 + 60 * len(lines) + 30
        card += _nested(chart_svg, (60, top, CARD_WIDTH - 120, CARD_HEIGHT - 90 - top))
    return vl_convert.svg_to_png(card + "</svg>\n")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _nested(svg: str, box: tuple[int, int, int, int]) -> str:
    """An SVG as an element of another, fitted in `box` (x, y, width, height), centred; its ids
    prefixed so they cannot meet the outer document's."""
    width, height = svg_size(svg)
    x, y, box_width, box_height = box
    svg = re.sub(r'\bid="', 'id="chart-', svg)
    svg = re.sub(r"url\(#", "url(#chart-", svg)
    svg = re.sub(r'href="#', 'href="#chart-', svg)
    # The card is rasterized on the build machine, where resvg would read an image by its path:
    # only pictures carried inside the SVG itself are drawn.
    svg = re.sub(r'(<image\b[^>]*?\bhref=")(?!data:)[^"]*"', r'\1"', svg)
    # overflow="visible": no clip to the box (the drawing stays inside it anyway), which saves
    # resvg a layer the size of the card (the README's figures say how much).
    return re.sub(r"^<svg\b[^>]*>", f'<svg x="{x}" y="{y}" width="{box_width}" height="{box_height}" '
                  f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" overflow="visible">',
                  svg.strip(), count=1)
