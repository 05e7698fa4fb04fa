"""Fixtures for the web page and API: a TestClient app, a live loopback server, the sample note."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "test-token-7f3a"


@pytest.fixture(scope="session")
def clinic_note() -> str:
    """A synthetic neurology visit (focal epilepsy, migraine, negated and family mentions)."""
    return (FIXTURES / "clinic_note.txt").read_text(encoding="utf-8")


@pytest.fixture()
def feedback_file(tmp_path: Path) -> Path:
    return tmp_path / "feedback.jsonl"


@pytest.fixture()
def make_client(feedback_file: Path, pipeline):  # type: ignore[no-untyped-def]
    """TestClient factory: make_client(token=..., max_bytes=..., allowed_hosts=...)."""
    from fastapi.testclient import TestClient

    from nlp.web import WebSettings, create_app

    clients = []

    def make(**kwargs):  # type: ignore[no-untyped-def]
        settings = WebSettings(feedback_path=feedback_file, warm_up=False, **kwargs)
        client = TestClient(create_app(settings))
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture()
def client(make_client):  # type: ignore[no-untyped-def]
    return make_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Iterator[dict[str, object]]:  # type: ignore[no-untyped-def]
    """The app under uvicorn on a free loopback port, with a token, in a background thread."""
    import uvicorn

    from nlp.cli.serve import LOOPBACK
    from nlp.web import WebSettings, create_app

    feedback = tmp_path_factory.mktemp("web-feedback") / "feedback.jsonl"
    port = free_port()
    settings = WebSettings(token=TOKEN, feedback_path=feedback, allowed_hosts=LOOPBACK)
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, access_log=False,
                            log_config=None, ws="none", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "token": TOKEN, "feedback": feedback}
    server.should_exit = True
    thread.join(timeout=10)
