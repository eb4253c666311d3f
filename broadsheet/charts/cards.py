"""Social cards: a story's 1200x630 link-preview PNG, its headline over the lead chart (vl-convert's
rasterizer lives here)."""
from __future__ import annotations

import re

from .drawing import printable, svg_size


CARD_WIDTH, CARD_HEIGHT = 1200, 630
# Link previews show the card at about half its size (600x315 on a phone). Its smallest chart text
# is drawn at LABEL_PX, 10 px there; the headline at up to 58 px, 29 px there.
LABEL_PX = 20
MARGIN = 60
PAPER = "#fdfcf9"


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def social_card(headline: str, site_name: str, chart_svg: str | None) -> bytes:
    """The 1200x630 PNG for link previews: `card_svg`, rasterized once by vl-convert."""
    import vl_convert

    return vl_convert.svg_to_png(card_svg(headline, site_name, chart_svg))


def _headline(headline: str) -> tuple[list[str], int]:
    """The headline's lines and size: two lines at 58 px, or three at 46 (cut with … past that).
    Lines are cut by character count (about 0.56 em a character in a bold sans), so nothing needs
    measuring."""
    for size, count in ((58, 2), (46, 3)):
        lines = _wrap(headline, int((CARD_WIDTH - 2 * MARGIN) / (0.56 * size)))
        if len(lines) <= count:
            return lines, size
    lines = lines[:3]
    lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines, 46


def card_svg(headline: str, site_name: str, chart_svg: str | None) -> str:
    """The card as one SVG document: the site's name, the headline large, and the lead chart below
    it across the card's width (at least half the card), as readers without JavaScript see it,
    nested as vector drawing (cheaper to rasterize than an image holding the SVG; see the README).
    The chart is drawn large enough for its smallest text to be LABEL_PX: a chart too tall for the
    card at that size shows its top, fading into the paper, rather than text nobody can read."""
    headline, site_name = printable(headline), printable(site_name)
    lines, size = _headline(headline)
    font = 'font-family="Liberation Sans, Arial, sans-serif" font-weight="bold"'
    first = 70 + size
    title = "".join(f'<tspan x="{MARGIN}" y="{first + round(size * 1.1) * index}">{_xml_text(line)}</tspan>'
                    for index, line in enumerate(lines))
    card = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
            f'viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}"><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="{PAPER}"/>'
            f'<text x="{MARGIN}" y="52" {font} font-size="22" letter-spacing="1.5" fill="#b3261e">'
            f'{_xml_text(site_name.upper())}</text>'
            f'<text class="card-headline" {font} font-size="{size}" fill="#1d1d1f">{title}</text>')
    if chart_svg:
        top = first + round(size * 1.1) * (len(lines) - 1) + 30
        card += _chart(chart_svg, (MARGIN, top, CARD_WIDTH - 2 * MARGIN, CARD_HEIGHT - 24 - top))
    return card + "</svg>\n"


def _chart(svg: str, box: tuple[int, int, int, int]) -> str:
    """The chart in `box` (x, y, width, height): the whole of it if its text stays LABEL_PX or more,
    else its top, as wide as the box, fading out at the box's foot (a chart whose text would still
    be smaller than LABEL_PX at that width is shown whole: the column and the phone layouts give
    charts text of 12 px or more, so a card of one of them reaches about 20 px)."""
    width, height = svg_size(svg)
    x, y, box_width, box_height = box
    sizes = [float(value) for value in re.findall(r'font-size="([0-9.]+)(?:px)?"', svg)]
    fit = min(box_width / width, box_height / height)
    # too small at the size that fits: as wide as the card allows (its top shown), text readable
    scale = max(fit, box_width / width) if sizes and fit < LABEL_PX / min(sizes) else fit
    shown_width, shown_height = round(width * scale), min(box_height, round(height * scale))
    left = x + (box_width - shown_width) // 2
    if round(height * scale) <= box_height:
        return _nested(svg, (left, y, shown_width, shown_height))
    nested = _nested(svg, (left, y, shown_width, shown_height), (width, shown_height / scale))
    # The rest of the chart runs on below the box: paper laid over it ends it there, which costs
    # resvg nothing, where a clip to the box is a card-sized layer (the README has the figures).
    fade = (f'<defs><linearGradient id="card-fade" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{PAPER}" '
            f'stop-opacity="0"/><stop offset="1" stop-color="{PAPER}"/></linearGradient></defs>'
            f'<rect x="{left - 4}" y="{y + shown_height - 70}" width="{shown_width + 8}" height="72" fill="url(#card-fade)"/>'
            f'<rect y="{y + shown_height}" width="{CARD_WIDTH}" height="{CARD_HEIGHT - y - shown_height}" fill="{PAPER}"/>')
    return nested + fade


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _nested(svg: str, box: tuple[int, int, int, int], shown: tuple[float, float] | None = None) -> str:
    """An SVG as an element of another, fitted in `box` (x, y, width, height), centred; its ids
    prefixed so they cannot meet the outer document's. `shown`: the part of it drawn (its width and
    height from its top left corner), the whole by default."""
    width, height = shown or svg_size(svg)
    x, y, box_width, box_height = box
    svg = re.sub(r'\bid="', 'id="chart-', svg)
    svg = re.sub(r"url\(#", "url(#chart-", svg)
    svg = re.sub(r'href="#', 'href="#chart-', svg)
    # The card is rasterized on the build machine, where resvg would read an image by its path:
    # only pictures carried inside the SVG itself are drawn.
    svg = re.sub(r'(<image\b[^>]*?\bhref=")(?!data:)[^"]*"', r'\1"', svg)
    # overflow="visible": no clip to the box, which would cost resvg a layer the size of the card
    # (the README's figures say how much): the whole drawing stays inside the box anyway, and the
    # part of a drawing shown from its top is ended below the box by the card (_chart).
    return re.sub(r"^<svg\b[^>]*>", f'<svg x="{x}" y="{y}" width="{box_width}" height="{box_height}" '
                  f'viewBox="0 0 {width:g} {height:g}" preserveAspectRatio="xMidYMin meet" overflow="visible">',
                  svg.strip(), count=1)
