"""The page's text assets go out gzipped to clients that accept it, and unchanged to those that do not."""
from __future__ import annotations

import gzip

import pytest


@pytest.mark.parametrize("path", ["/", "/static/main.js", "/static/vendor/katex/katex.mjs", "/static/css/base.css"])
def test_text_assets_are_gzipped_for_clients_that_accept_it(client, path):
    with client.get(path) as plain, client.get(path, headers={"Accept-Encoding": "gzip, deflate"}) as zipped:
        assert plain.status_code == zipped.status_code == 200
        assert "Content-Encoding" not in plain.headers
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["Vary"]
        assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data)
        assert gzip.decompress(zipped.data) == plain.data


def test_fonts_and_partial_responses_are_left_alone(client):
    font_path = "/static/vendor/katex/fonts/KaTeX_Main-Regular.woff2"
    with client.get(font_path, headers={"Accept-Encoding": "gzip"}) as font:
        assert font.status_code == 200 and "Content-Encoding" not in font.headers
    with client.get("/static/main.js", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"}) as part:
        assert part.status_code == 206 and "Content-Encoding" not in part.headers and len(part.data) == 100
