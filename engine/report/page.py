"""Render the payload into one HTML file: our CSS and JS, plotly.js inlined once, the data as embedded JSON."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from shortage_radar.report.quality import render_section

_SLOT = re.compile(r"\{\{(\w+)\}\}")


def _template(name: str) -> str:
    return resources.files("shortage_radar.report").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package (no CDN, nothing downloaded)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def embed_json(payload: dict) -> str:
    """JSON safe inside a <script> element: no '</' can close it early; NaN is refused, not written."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_page(payload: dict) -> str:
    """Fill the template's slots in one pass (inserted text is never scanned for slots again)."""
    slots = {"MONTH": payload["month"], "CSS": _template("report.css"), "JS": _template("report.js"),
             "PLOTLY": plotly_js(), "DATA": embed_json(payload), "AUDIT": render_section(payload.get("audit"))}
    return _SLOT.sub(lambda m: slots[m.group(1)], _template("report.html"))
