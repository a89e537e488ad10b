"""The pages' one stylesheet and the Thai font, served by every service with pages.

`mount(app)` serves `static/` at `/static/siang/`; `use_in(env)` gives the templates
`stylesheet`, the stylesheet's URL with a hash of its content, so a browser fetches a
changed stylesheet at once and keeps an unchanged one for a day.

The font is TLWG's Laksaman (the design of TH Sarabun New, `static/fonts/LICENSE`),
shipped with the project so that Thai renders the same on every machine, with or without
Thai fonts of its own: as WOFF2 for the pages, as TTF for the PDF reports (fpdf2 embeds
TrueType only). The WOFF2 files are the TTFs converted by fontTools, `python -m
shared.web.assets` does it again; a unit test checks they hold the same glyphs."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from jinja2 import Environment
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

STATIC = Path(__file__).parent / "static"
FONTS = STATIC / "fonts"
STYLESHEET = STATIC / "siang.css"
MOUNT = "/static/siang"
# A day: long enough that a person's pages load from the cache, short enough for a font
# that changes (the stylesheet's own URL changes with its content).
CACHE_CONTROL = "public, max-age=86400"


class _Cached(StaticFiles):
    """The static files, with a `Cache-Control` the browser keeps them by."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"cache-control", CACHE_CONTROL.encode()),
                ]
            await send(message)

        await super().__call__(scope, receive, send_cached)


def mount(app: FastAPI) -> None:
    """Serve the stylesheet and the fonts at `/static/siang/` (outside the OpenAPI)."""
    app.mount(MOUNT, _Cached(directory=STATIC), name="siang-static")


@cache
def stylesheet_url() -> str:
    digest = hashlib.sha256(STYLESHEET.read_bytes()).hexdigest()[:12]
    return f"{MOUNT}/{STYLESHEET.name}?v={digest}"


def use_in(env: Environment) -> None:
    """Give `env`'s templates `stylesheet`, the URL their `<link rel="stylesheet">` names."""
    env.globals["stylesheet"] = stylesheet_url()


def convert_fonts() -> list[Path]:
    """Write each TTF in `FONTS` again as WOFF2 beside it (needs fontTools and brotli)."""
    from fontTools.ttLib import TTFont

    written = []
    for ttf in sorted(FONTS.glob("*.ttf")):
        font = TTFont(ttf, recalcTimestamp=False)
        font.flavor = "woff2"
        font.save(ttf.with_suffix(".woff2"))
        written.append(ttf.with_suffix(".woff2"))
    return written


if __name__ == "__main__":
    for path in convert_fonts():
        print(path.name)
