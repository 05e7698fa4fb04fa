"""`neurocode serve`: the coder's web page and JSON API on 127.0.0.1 (FastAPI + uvicorn)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from nlp.cli import app
from nlp.cli.common import handles_errors

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@app.command("serve")
@handles_errors
def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on. Notes are PHI: keep the loopback default.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    token: Annotated[str | None, typer.Option(envvar="NEUROCODE_TOKEN", show_envvar=True,
                                              help="Require this token on every request.")] = None,
    max_bytes: Annotated[int, typer.Option(min=1000, help="Largest request body accepted (413 above).")]
    = 1_000_000,
    feedback_file: Annotated[Path | None, typer.Option(help="Feedback JSONL (default: the data folder's).")]
    = None,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker processes (each loads the pipeline, about "
                                                             "280 MB); more than 1 for several coders at once.")]
    = 1,
) -> None:
    """Serve the page (paste a note, review suggestions, queries, feedback) and the JSON API."""
    import logging

    import uvicorn

    from nlp.errors import Errors, InputError
    from nlp.web import WebSettings, create_app

    if host not in LOOPBACK and not token:
        raise InputError(Errors.E705, host=host)
    settings = WebSettings(token=token or None, max_bytes=max_bytes, feedback_path=feedback_file,
                           allowed_hosts=LOOPBACK | {host} if host in LOOPBACK else None)
    shown = "[::1]" if host == "::1" else host
    query = ""
    if token:
        query = "?token=$NEUROCODE_TOKEN" if os.environ.get("NEUROCODE_TOKEN") == token else f"?token={token}"
    typer.echo(f"neurocode page: http://{shown}:{port}/{query}   (Ctrl+C stops; access log: method, path, "
               "status, time only)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # uvicorn's own access log prints query strings: ours (nlp/web/guard.py) prints method, path, status, time
    if workers > 1:  # the worker processes build the app from the environment
        from nlp.web.app import SETTINGS_ENV, settings_to_env

        os.environ[SETTINGS_ENV] = settings_to_env(settings)
        if token:
            os.environ["NEUROCODE_TOKEN"] = token
    uvicorn.run(create_app(settings) if workers == 1 else "nlp.web.app:app_from_env", factory=workers > 1,
                workers=workers if workers > 1 else None, host=host, port=port, access_log=False,
                log_config=None, server_header=False)
