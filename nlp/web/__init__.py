"""The coder's web page and JSON API (FastAPI), served by `neurocode serve`.

    from nlp.web import create_app, WebSettings
    app = create_app(WebSettings(token="s3cret"))

`app.py` holds the routes (each calls the library: `nlp.api.suggest`, `nlp.codesets.lookup.describe`,
`nlp.feedback`), `guard.py` the ASGI layer every request passes (token, body-size limit, security
headers, an access log of method, path, status and timing only), `static/` the page itself
(plain HTML/CSS/JS, no CDN: it works with the network unplugged).
"""

from __future__ import annotations

from nlp.web.app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
