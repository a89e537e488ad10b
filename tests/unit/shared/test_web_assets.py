"""The pages' one stylesheet and Thai font: served with their types and a cache lifetime,
named by a URL that changes with the stylesheet, and the WOFF2 fonts the pages load are
the TTFs the PDF embeds."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from fontTools.ttLib import TTFont
from jinja2 import DictLoader, Environment

from shared.infra.http import PAGE_POLICY, install_security_headers
from shared.web import assets


def client() -> httpx.AsyncClient:
    app = FastAPI()
    install_security_headers(app)
    assets.mount(app)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x")


async def test_the_stylesheet_and_fonts_are_served_with_their_types() -> None:
    async with client() as http:
        css = await http.get(assets.stylesheet_url())
        fonts = [
            await http.get(f"{assets.MOUNT}/{url}")
            for url in re.findall(r'url\("([^"]+)"\)', css.text)
        ]
        missing = await http.get(f"{assets.MOUNT}/nothing.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.headers["cache-control"] == assets.CACHE_CONTROL
    assert len(fonts) == 2
    for font in fonts:
        assert font.status_code == 200 and font.headers["content-type"] == "font/woff2"
        # The pages' policy lets them load the font from the service itself.
        assert font.headers["content-security-policy"] == PAGE_POLICY
    assert missing.status_code == 404


def test_the_stylesheet_url_names_its_content() -> None:
    url = assets.stylesheet_url()
    assert url.startswith("/static/siang/siang.css?v=") and len(url.split("=")[1]) == 12
    env = Environment(loader=DictLoader({"p.html": '<link href="{{ stylesheet }}">'}))
    assets.use_in(env)
    assert env.get_template("p.html").render() == f'<link href="{url}">'


def test_each_woff2_holds_the_glyphs_of_its_ttf() -> None:
    ttfs = sorted(assets.FONTS.glob("*.ttf"))
    assert {t.stem for t in ttfs} == {"Laksaman", "Laksaman-Bold"}
    for ttf in ttfs:
        original, web = TTFont(ttf), TTFont(ttf.with_suffix(".woff2"))
        assert web.flavor == "woff2"
        assert web.getGlyphOrder() == original.getGlyphOrder()
        assert web.getBestCmap() == original.getBestCmap()
        # Every Thai letter, vowel, tone mark and digit has a glyph.
        assert all(
            c in web.getBestCmap() for c in range(0x0E01, 0x0E5C) if c not in range(0x0E3B, 0x0E3F)
        )
