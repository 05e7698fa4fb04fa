"""Routes of the coder's page: every one is a thin call into the library.

    POST /api/suggest        text, date_of_service, setting, note_id -> the NoteResult contract (JSON)
    GET  /api/code/{code}    ?dos= -> `nlp.codesets.lookup.describe` (what `neurocode code` prints)
    POST /api/feedback       accept / reject / add for one result -> the feedback JSONL (codes, offsets)
    GET  /api/health         versions and whether a token is required
    GET  /api/openapi.json   the schema;  GET /  the page;  /static/...  its CSS and JS

Errors answer with {"error": "E7xx", "message": ...}: 422 for invalid input (field names and what is
wrong, never the value sent), 413 over the size limit, 401 without the token, 404 for an unknown
code or route. Nothing here logs or echoes note text.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from nlp import __version__
from nlp.errors import CodeLookupError, Errors, NeurocodeError
from nlp.web.guard import Guard, error_body

STATIC = Path(str(files("nlp.web") / "static"))
DEFAULT_MAX_BYTES = 1_000_000
NOT_FOUND = ("E102", "E106")  # unknown code / code not in force on the date: 404, the rest of the catalogue 422


@dataclass(frozen=True)
class WebSettings:
    """How the app runs. `token`: required on every request when set. `allowed_hosts`: Host header
    names accepted (None = any; `neurocode serve` on loopback allows only loopback names)."""

    token: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    feedback_path: Path | None = None
    allowed_hosts: frozenset[str] | None = None
    warm_up: bool = True


class SuggestRequest(BaseModel):
    text: str = Field(min_length=1, description="The note text (UTF-8). Never logged.")
    date_of_service: str | None = Field(None, description="YYYY-MM-DD; picks the code-set release in force.",
                                        examples=["2026-05-14"])
    setting: str = Field("outpatient", description="outpatient (professional fee) or inpatient.")
    note_id: str | None = Field(None, max_length=200, description="Your id for the note (kept in feedback).")


class FeedbackResult(BaseModel):
    """The parts of a NoteResult feedback needs; evidence `text` may be left out (it is never stored)."""

    note_id: str | None = None
    date_of_service: str | None = None
    versions: dict[str, str] = Field(default_factory=dict)
    suggestions: list[dict[str, Any]]


class FeedbackRequest(BaseModel):
    result: FeedbackResult
    accept: list[str] = Field(default_factory=list, max_length=200)
    reject: list[str] = Field(default_factory=list, max_length=200)
    add: list[str] = Field(default_factory=list, max_length=200)
    reviewer: str | None = Field(None, max_length=100)


SETTINGS_ENV = "NEUROCODE_WEB_SETTINGS"  # how `neurocode serve --workers N` hands settings to worker processes


def settings_to_env(settings: WebSettings) -> str:
    """The settings as JSON for SETTINGS_ENV; the token travels separately, in NEUROCODE_TOKEN."""
    return json.dumps({"max_bytes": settings.max_bytes,
                       "feedback_path": str(settings.feedback_path) if settings.feedback_path else None,
                       "allowed_hosts": sorted(settings.allowed_hosts) if settings.allowed_hosts is not None else None})


def app_from_env() -> FastAPI:
    """uvicorn's app factory in each worker process (`neurocode serve --workers N`)."""
    raw = json.loads(os.environ.get(SETTINGS_ENV) or "{}")
    hosts = raw.get("allowed_hosts")
    return create_app(WebSettings(token=os.environ.get("NEUROCODE_TOKEN") or None,
                                  max_bytes=int(raw.get("max_bytes") or DEFAULT_MAX_BYTES),
                                  feedback_path=Path(raw["feedback_path"]) if raw.get("feedback_path") else None,
                                  allowed_hosts=frozenset(hosts) if hosts is not None else None))


def create_app(settings: WebSettings | None = None) -> FastAPI:
    settings = settings or WebSettings()
    lock = threading.Lock()  # one pipeline per process; requests take turns on it

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.warm_up:
            from nlp.api import suggest

            suggest("Warm-up: no note.", note_id="warm-up")  # load the pipeline before the first coder waits
        yield

    app = FastAPI(
        title="neurocode",
        version=__version__,
        summary="Neurology notes to ICD-10-CM / CPT / HCPCS suggestions labelled specific / NEC / NOS.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN: the page must work offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(Guard, token=settings.token, max_bytes=settings.max_bytes,
                       allowed_hosts=settings.allowed_hosts)
    _add_error_handlers(app)

    @app.post("/api/suggest", summary="Suggest codes for one note (the NoteResult contract).")
    def suggest_route(req: SuggestRequest) -> JSONResponse:
        from nlp.api import suggest

        dos = (req.date_of_service or "").strip() or None
        with lock:
            result = suggest(req.text, note_id=req.note_id, date_of_service=dos, setting=req.setting)
        return JSONResponse(result.to_dict())

    @app.get("/api/code/{code}", summary="Describe a code on a date of service (as `neurocode code`).")
    def code_route(code: str, dos: str | None = Query(None, description="YYYY-MM-DD")) -> dict[str, Any]:
        from nlp.codesets.lookup import describe

        return describe(code, (dos or "").strip() or None)

    @app.post("/api/feedback", summary="Record accept / reject / add decisions (codes and offsets only).")
    def feedback_route(req: FeedbackRequest) -> dict[str, Any]:
        from nlp.feedback import append_records, feedback_records

        records = feedback_records(req.result.model_dump(), accept=req.accept, reject=req.reject, add=req.add,
                                   reviewer=req.reviewer)
        with lock:
            append_records(records, settings.feedback_path)
        return {"recorded": len(records), "decisions": [{"decision": r["decision"], "code": r["code"]}
                                                        for r in records]}

    @app.get("/api/health", summary="Versions of the pipeline and code sets.")
    def health_route() -> dict[str, Any]:
        from nlp.api import procedures_versions
        from nlp.codesets import icd10cm
        from nlp.review.not_coded import SETTINGS

        return {"status": "ok", "version": __version__, "token_required": settings.token is not None,
                "max_bytes": settings.max_bytes, "settings": list(SETTINGS),
                "versions": {"icd10cm": icd10cm.for_date(None).key, **procedures_versions()}}

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # field and problem only: pydantic's own answer repeats the input, which may be note text
        fields = [{"field": "body" if e["type"] == "json_invalid" else ".".join(str(p) for p in e["loc"][1:]) or "body",
                   "problem": e["msg"]} for e in exc.errors()]
        detail = "; ".join(f"{f['field']}: {f['problem']}" for f in fields)
        return JSONResponse({**error_body(Errors.E702, detail=detail), "fields": fields}, 422)

    @app.exception_handler(NeurocodeError)
    async def library_error(_: Request, exc: NeurocodeError) -> JSONResponse:
        status = 404 if isinstance(exc, CodeLookupError) and exc.code in NOT_FOUND else 422
        return JSONResponse({"error": exc.code, "message": str(exc)}, status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return JSONResponse(error_body(Errors.E706, path=request.url.path), 404)
        return JSONResponse({"error": f"HTTP{exc.status_code}", "message": str(exc.detail)}, exc.status_code)
