"""The JSON API through FastAPI's TestClient: contract, errors (numbered, no note text), size limit,
token, feedback records and the access log."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

MARKER = "Zanzibar-quokka-4471"  # a word that would only appear in a response or log if note text leaked


def test_health_and_openapi_schema(client) -> None:  # type: ignore[no-untyped-def]
    health = client.get("/api/health").json()
    assert health["status"] == "ok"
    assert health["token_required"] is False
    assert set(health["versions"]) >= {"icd10cm", "cpt", "hcpcs"}
    schema = client.get("/api/openapi.json").json()
    assert {"/api/suggest", "/api/code/{code}", "/api/feedback", "/api/health"} <= set(schema["paths"])
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_suggest_returns_the_note_result_contract(client, clinic_note: str) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/suggest", json={"text": clinic_note, "date_of_service": "2026-05-14",
                                             "setting": "outpatient", "note_id": "v1"})
    assert resp.status_code == 200
    data = resp.json()
    assert set(data) >= {"note_id", "date_of_service", "setting", "versions", "suggestions", "queries",
                         "not_coded", "edits", "entities", "warnings"}
    assert (data["note_id"], data["date_of_service"]) == ("v1", "2026-05-14")
    codes = {s["code"]: s for s in data["suggestions"]}
    assert "G40.219" in codes
    first = codes["G40.219"]["evidence"][0]
    assert clinic_note[first["start"]:first["end"]] == first["text"]
    assert {n["reason"] for n in data["not_coded"]} >= {"negated", "family"}
    assert resp.headers["cache-control"] == "no-store"


def test_suggest_equals_the_library_result(client, clinic_note: str) -> None:  # type: ignore[no-untyped-def]
    from nlp.api import suggest

    expected = suggest(clinic_note, note_id="v1", setting="inpatient").to_dict()
    got = client.post("/api/suggest", json={"text": clinic_note, "note_id": "v1", "setting": "inpatient"}).json()
    assert got == expected


@pytest.mark.parametrize(
    ("body", "status", "error", "field"),
    [
        ({}, 422, "E702", "text"),
        ({"text": ""}, 422, "E702", "text"),
        ({"text": 42}, 422, "E702", "text"),
        ({"text": MARKER, "setting": "emergency"}, 422, "E420", None),
        ({"text": MARKER, "date_of_service": "14/05/2026"}, 422, "E104", None),
        ({"text": MARKER, "date_of_service": "1999-01-01"}, 422, "E105", None),
        ({"text": MARKER, "note_id": "x" * 201}, 422, "E702", "note_id"),
    ],
    ids=["missing-text", "empty-text", "text-not-string", "unknown-setting", "bad-date", "no-release", "long-id"],
)
def test_suggest_invalid_input_is_a_numbered_422_without_note_text(client, body, status, error, field) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/suggest", json=body)
    assert resp.status_code == status
    data = resp.json()
    assert data["error"] == error
    assert data["message"].startswith(error + ": ")
    assert MARKER not in resp.text
    if field:
        assert field in [f["field"] for f in data["fields"]]


def test_malformed_json_is_a_clear_422(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/suggest", content=b'{"text": "' + MARKER.encode() + b'", ',
                       headers={"content-type": "application/json"})
    assert resp.status_code == 422
    assert resp.json()["fields"][0] == {"field": "body", "problem": "JSON decode error"}
    assert MARKER not in resp.text


def test_oversized_body_is_413_by_content_length(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(max_bytes=2_000)
    resp = client.post("/api/suggest", json={"text": MARKER + " seizure " * 400})
    assert resp.status_code == 413
    assert resp.json()["error"] == "E701"
    assert "2000" in resp.json()["message"]
    assert MARKER not in resp.text


def test_oversized_chunked_body_is_413(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(max_bytes=2_000)

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"text": "'
        for _ in range(50):
            yield b"seizure " * 10
        yield b'"}'

    resp = client.post("/api/suggest", content=chunks(), headers={"content-type": "application/json"})
    assert resp.status_code == 413
    assert resp.json()["error"] == "E701"


def test_body_under_the_limit_passes(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(max_bytes=2_000)
    assert client.post("/api/suggest", json={"text": "ASSESSMENT: Migraine without aura."}).status_code == 200


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": "Bearer s3cret"}, 200),
        ({"X-Neurocode-Token": "s3cret"}, 200),
        ({"Cookie": "neurocode_token=s3cret"}, 200),
        ({"Cookie": "neurocode_token=nope"}, 401),
    ],
    ids=["none", "wrong-bearer", "bearer", "header", "cookie", "wrong-cookie"],
)
def test_token_is_required_on_every_request(make_client, headers, status) -> None:  # type: ignore[no-untyped-def]
    client = make_client(token="s3cret")
    for method, path in (("GET", "/api/health"), ("GET", "/"), ("GET", "/static/app.js"),
                         ("GET", "/api/openapi.json"), ("GET", "/api/code/G40.219")):
        resp = client.request(method, path, headers=headers)
        assert resp.status_code == status, (method, path)
        if status == 401:
            assert resp.json()["error"] == "E703"
    resp = client.post("/api/suggest", json={"text": "Migraine."}, headers=headers)
    assert resp.status_code == status


def test_token_in_the_printed_address_becomes_a_cookie(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(token="s3cret")
    resp = client.get("/?token=s3cret", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/"
    cookie = resp.headers["set-cookie"]
    assert "neurocode_token=s3cret" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/api/health").status_code == 200  # the client now sends the cookie
    fresh = make_client(token="s3cret")
    assert fresh.get("/?token=wrong", follow_redirects=False).status_code == 401
    assert fresh.get("/api/health?token=s3cret").status_code == 401  # only the page takes it from the URL


def test_foreign_host_header_is_refused(make_client) -> None:  # type: ignore[no-untyped-def]
    client = make_client(allowed_hosts=frozenset({"127.0.0.1", "localhost"}))
    assert client.get("/api/health").status_code == 400  # TestClient sends Host: testserver
    assert client.get("/api/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_page_and_static_files_are_served_with_a_strict_policy(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    for asset in ("/static/app.js", "/static/app.css"):
        assert client.get(asset).status_code == 200
    assert "http" not in page.text.replace("http-equiv", "")  # nothing loaded from elsewhere


def test_unknown_route_is_a_numbered_404(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/api/nothing")
    assert resp.status_code == 404
    assert resp.json()["error"] == "E706"


@pytest.mark.parametrize(
    ("path", "status", "check"),
    [
        ("/api/code/G40.219?dos=2026-05-14", 200, ("billable", True)),
        ("/api/code/g40.219", 200, ("code", "G40.219")),
        ("/api/code/G40.2", 200, ("billable", False)),
        ("/api/code/95907", 200, ("system", "CPT")),
        ("/api/code/G99.999", 404, ("error", "E102")),
        ("/api/code/NOT-A-CODE", 422, ("error", "E101")),
        ("/api/code/G40.219?dos=soon", 422, ("error", "E104")),
    ],
    ids=["billable", "lower-case", "header", "cpt", "unknown", "malformed", "bad-date"],
)
def test_code_lookup(client, path, status, check) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(path)
    assert resp.status_code == status
    key, value = check
    assert resp.json()[key] == value


def _result_for_feedback(client, text: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return client.post("/api/suggest", json={"text": text, "note_id": "fb-1"}).json()


def test_feedback_records_codes_and_offsets_only(client, feedback_file: Path, clinic_note: str) -> None:  # type: ignore[no-untyped-def]
    text = clinic_note + f"\nADDENDUM: {MARKER}.\n"
    result = _result_for_feedback(client, text)
    resp = client.post("/api/feedback", json={"result": result, "accept": ["G40.219"], "reject": ["G43.909"],
                                              "add": ["G47.33"], "reviewer": "coder-7"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["recorded"] == 3
    records = [json.loads(line) for line in feedback_file.read_text().splitlines()]
    assert [(r["decision"], r["code"]) for r in records] == [("accept", "G40.219"), ("reject", "G43.909"),
                                                             ("add", "G47.33")]
    assert all(r["note_id"] == "fb-1" and r["reviewer"] == "coder-7" for r in records)
    assert records[0]["evidence"] and set(records[0]["evidence"][0]) == {"start", "end", "section"}
    stored = feedback_file.read_text()
    assert MARKER not in stored
    phrases = {e["text"] for s in result["suggestions"] for e in s["evidence"] if " " in e["text"]}
    assert phrases  # e.g. "focal epilepsy", "migraine headaches"
    assert not [p for p in phrases if p in stored]


@pytest.mark.parametrize(
    ("decision", "error"),
    [({"accept": ["G35.A"]}, "E602"), ({"add": ["G40.219"]}, "E602"), ({"add": ["XX"]}, "E101"), ({}, "E602")],
    ids=["accept-unknown", "add-already-suggested", "add-malformed", "nothing"],
)
def test_feedback_errors_store_nothing(client, feedback_file: Path, clinic_note: str, decision, error) -> None:  # type: ignore[no-untyped-def]
    result = _result_for_feedback(client, clinic_note)
    resp = client.post("/api/feedback", json={"result": result, **decision})
    assert resp.status_code == 422
    assert resp.json()["error"] == error
    assert not feedback_file.exists()


def test_feedback_without_suggestions_list_is_422(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post("/api/feedback", json={"result": {"note_id": "x"}, "accept": ["G40.219"]})
    assert resp.status_code == 422
    assert "result.suggestions" in [f["field"] for f in resp.json()["fields"]]


def test_access_log_has_method_path_status_time_only(client, caplog: pytest.LogCaptureFixture,
                                                     clinic_note: str) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="neurocode.web.access"):
        client.post(f"/api/suggest?note={MARKER}", json={"text": clinic_note + MARKER})
        client.post("/api/suggest", json={"text": MARKER, "setting": "nowhere"})
    lines = [r.getMessage() for r in caplog.records if r.name == "neurocode.web.access"]
    assert len(lines) == 2
    assert lines[0].startswith("POST /api/suggest 200 ") and lines[0].endswith("ms")
    assert lines[1].startswith("POST /api/suggest 422 ")
    assert not any(MARKER in r.getMessage() for r in caplog.records)


def test_unexpected_error_is_e704_without_its_message(client, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    import nlp.api

    def broken(text: str, **_: object) -> None:
        raise ValueError(f"cannot parse {text}")

    monkeypatch.setattr(nlp.api, "suggest", broken)
    with caplog.at_level(logging.INFO):
        resp = client.post("/api/suggest", json={"text": MARKER})
    assert resp.status_code == 500
    assert resp.json()["error"] == "E704"
    assert "ValueError" in resp.json()["message"]
    assert MARKER not in resp.text
    assert not any(MARKER in r.getMessage() for r in caplog.records)
