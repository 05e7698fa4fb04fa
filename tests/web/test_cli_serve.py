"""`neurocode serve` through CliRunner, with uvicorn.run replaced (no socket is opened)."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from nlp.cli import _register, app

_register()
runner = CliRunner()


@pytest.fixture()
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setenv("NEUROCODE_TOKEN", "")  # recorded, so that anything serve sets is undone after the test
    monkeypatch.delenv("NEUROCODE_TOKEN")
    return calls


def test_serve_binds_loopback_without_uvicorn_access_log(uvicorn_calls: list[dict[str, Any]]) -> None:
    res = runner.invoke(app, ["serve", "--port", "8123"])
    assert res.exit_code == 0, res.output
    assert "http://127.0.0.1:8123/" in res.stdout
    (call,) = uvicorn_calls
    assert (call["host"], call["port"], call["access_log"]) == ("127.0.0.1", 8123, False)


def test_serve_prints_the_address_with_the_token(uvicorn_calls: list[dict[str, Any]]) -> None:
    res = runner.invoke(app, ["serve", "--token", "abc123"])
    assert res.exit_code == 0, res.output
    assert "http://127.0.0.1:8000/?token=abc123" in res.stdout


def test_serve_token_from_environment_is_not_printed(uvicorn_calls: list[dict[str, Any]]) -> None:
    res = runner.invoke(app, ["serve"], env={"NEUROCODE_TOKEN": "from-env-77"})
    assert res.exit_code == 0, res.output
    assert "from-env-77" not in res.stdout
    assert "?token=$NEUROCODE_TOKEN" in res.stdout
    from fastapi.testclient import TestClient

    with TestClient(uvicorn_calls[0]["app"]) as client:  # the app really requires it
        assert client.get("/api/health", headers={"Host": "127.0.0.1"}).status_code == 401


def test_serve_refuses_a_public_address_without_token(uvicorn_calls: list[dict[str, Any]]) -> None:
    res = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert res.exit_code == 2
    assert res.output.startswith("E705:")
    assert uvicorn_calls == []


def test_serve_public_address_with_token_is_allowed(uvicorn_calls: list[dict[str, Any]]) -> None:
    res = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--token", "t0k"])
    assert res.exit_code == 0, res.output
    assert uvicorn_calls[0]["host"] == "0.0.0.0"


def test_serve_workers_hand_settings_to_the_worker_processes(uvicorn_calls: list[dict[str, Any]], tmp_path,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from nlp.web.app import SETTINGS_ENV, app_from_env

    monkeypatch.setenv(SETTINGS_ENV, "")  # restored after the test: serve writes the real value
    feedback = tmp_path / "fb.jsonl"
    res = runner.invoke(app, ["serve", "--workers", "2", "--token", "w0rk", "--max-bytes", "5000",
                              "--feedback-file", str(feedback)])
    assert res.exit_code == 0, res.output
    (call,) = uvicorn_calls
    assert (call["app"], call["factory"], call["workers"]) == ("nlp.web.app:app_from_env", True, 2)
    assert os.environ["NEUROCODE_TOKEN"] == "w0rk"
    from fastapi.testclient import TestClient

    with TestClient(app_from_env()) as client:  # what each worker builds
        headers = {"Host": "127.0.0.1", "Authorization": "Bearer w0rk"}
        assert client.get("/api/health", headers={"Host": "127.0.0.1"}).status_code == 401
        assert client.get("/api/health", headers=headers).json()["max_bytes"] == 5000
        assert client.get("/api/health", headers={**headers, "Host": "example.org"}).status_code == 400
