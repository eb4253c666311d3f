"""One story as one self-contained HTML file: styles, chart runtime, specs, data, images inlined.

For archives and email: the file works opened from disk, with no network and no other file.
It is made from the same pages the site build renders, by inlining what they link to.
"""
from __future__ import annotations

import base64
import json
import posixpath
import re
from typing import Mapping

from .model import site_data_path

MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".webp": "image/webp", ".csv": "text/csv;charset=utf-8", ".css": "text/css"}


def _resolve(page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def _data_uri(path: str, content: bytes) -> str:
    mime = MIME.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _script_text(content: bytes) -> str:
    text = content.decode("utf-8")
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def single_file(files: Mapping[str, bytes], slug: str, absolute_url: str = "") -> bytes:
    """The story page with every local resource inlined; links to other pages made absolute."""
    page = f"{slug}/index.html"
    html = files[page].decode("utf-8")

    def local(href: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", href):
            return None
        target = _resolve(page, href.split("#")[0].split("?")[0])
        return target if target in files else None

    def stylesheet(match: re.Match) -> str:
        target = local(match.group(1))
        return f"<style>\n{files[target].decode('utf-8')}</style>" if target else match.group(0)

    def script(match: re.Match) -> str:
        attributes, src = match.group(1), match.group(2)
        target = local(src)
        if target is None:
            return match.group(0)
        runtime = re.search(r'data-vega-src="([^"]+)"', match.group(0))
        inlined = ""
        if runtime and local(runtime.group(1)):
            inlined = f"<script>{_script_text(files[local(runtime.group(1))])}</script>\n"
        rest = re.sub(r'\s*(?:src|defer|data-vega-src)(?:="[^"]*")?', "", attributes + match.group(3))
        return f"{inlined}<script{rest}>{_script_text(files[target])}</script>"

    def resource(match: re.Match) -> str:
        attribute, href = match.group(1), match.group(2)
        target = local(href)
        if target is None or target.endswith(".html") or target.endswith("/"):
            return match.group(0)
        return f'{attribute}="{_data_uri(target, files[target])}"'

    def page_link(match: re.Match) -> str:
        href = match.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", href) or not absolute_url:
            return match.group(0)
        target = _resolve(page, href)
        return f'href="{absolute_url.rstrip("/")}/{"" if target == "." else target}"'

    def chart_data(match: re.Match) -> str:
        """Rows a live chart would fetch by URL travel inside its spec, as the CSV text itself."""
        target = site_data_path(slug, match.group(1))  # a map's shapes: the site's one file
        if target not in files:
            return match.group(0)
        text = json.dumps(files[target].decode("utf-8"), ensure_ascii=False)
        return '"values":' + text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")

    html = re.sub(r'"url":"(data/[^"\\]+\.(?:csv|json))"', chart_data, html)
    html = re.sub(r'<link rel="stylesheet" href="([^"]+)">', stylesheet, html)
    html = re.sub(r'<link rel="alternate"[^>]*>\n?', "", html)
    html = re.sub(r'<script((?:\s+[a-z-]+(?:="[^"]*")?)*?)\s+src="([^"]+)"((?:\s+[a-z-]+(?:="[^"]*")?)*)></script>',
                  script, html)
    html = re.sub(r'\b(src|href)="([^"]+\.(?:svg|png|jpe?g|webp|csv))"', resource, html)
    html = re.sub(r'href="([^"]+/)"', page_link, html)
    return _policy_for_inline_scripts(html).encode("utf-8")


def _policy_for_inline_scripts(html: str) -> str:
    """The site's policy allows no inline script; the single file has nothing else. Allow exactly
    these scripts, by hash, and keep everything else of the policy."""
    import hashlib

    hashes = []
    for match in re.finditer(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", html, flags=re.S):
        digest = base64.b64encode(hashlib.sha256(match.group(1).encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return re.sub(r"script-src 'self'", "script-src " + " ".join(hashes), html, count=1)
