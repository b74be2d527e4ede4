"""The review service: a REST API over the batch runner and the catalog, and the review page.

Every route but ``/health`` needs the token: ``Authorization: Bearer TOKEN`` (systems) or the
``vanban_token`` cookie the login form sets (the review page; HttpOnly, SameSite=Strict, so no
other site can post with it). OpenAPI at ``/openapi.json``, its page at ``/docs``.
"""

from __future__ import annotations

import contextlib
import io
import json
import secrets
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from pipeline import __version__
from pipeline.evaluate.shape import to_gold_shape
from pipeline.record.models import Record
from pipeline.serve.render import SCALES, page_image
from pipeline.serve.review import BadValue, check_value, gold_document, machine_value, review_fields
from pipeline.serve.runner import Runner
from pipeline.serve.store import Refused, Settings, Store, job_dict

TOKEN_COOKIE = "vanban_token"
REVIEWER_COOKIE = "vanban_reviewer"
UPLOAD_PATH = "/v1/jobs"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuse a request body larger than ``limit`` bytes with 413, from its Content-Length when
    it declares one and while it streams otherwise, before the multipart parser stores it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _send_error(send, 413, "request.too_large", f"request body over {self.limit} bytes")
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, {"code": "request.too_large", "message": "request body too large"})
            return message

        await self.app(scope, counted, send)


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"detail": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class JobOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    file_name: str = Field(description="the client's name for the file, for display only")
    sha256: str
    bytes: int
    created: str
    updated: str
    record_status: str | None = Field(None, description="ok, partial or failed once done")
    error: str | None = None


class Accepted(BaseModel):
    jobs: list[JobOut]
    refused: list[dict[str, Any]] = Field(
        default_factory=list, description="files not taken: name, HTTP status, code, message"
    )


class CorrectionIn(BaseModel):
    field: str = Field(description="a gold-format field: 'summary', 'signer.name', 'recipients' ...")
    action: Literal["accept", "correct"]
    value: Any = Field(None, description="the corrected value (string, list of strings, legal bases)")
    note: str | None = Field(None, max_length=4000)


def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("pipeline.serve", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def create_app(settings: Settings, *, run_queue: bool = True) -> FastAPI:
    """The ASGI application; ``run_queue=False`` leaves the queue unattended (tests of the API)."""
    store = Store(settings)
    runner = Runner(store)
    templates = _templates()
    static = resources.files("pipeline.serve").joinpath("static")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if run_queue:
            runner.start()
        try:
            yield
        finally:
            if run_queue:
                runner.close()
            store.close()

    app = FastAPI(
        title="vanban review service",
        version=__version__,
        description="Upload Vietnamese official documents, fetch their records (the vanban JSON Schema), "
        "search the catalog, review and correct every value against its page.",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.runner = runner

    def authorised(request: Request) -> bool:
        if settings.token is None:
            return True
        header = request.headers.get("authorization", "")
        given = header[7:] if header[:7].lower() == "bearer " else request.cookies.get(TOKEN_COOKIE, "")
        return bool(given) and secrets.compare_digest(given.encode(), settings.token.encode())

    def require_token(request: Request) -> None:
        if not authorised(request):
            raise HTTPException(
                401,
                {"code": "auth.token", "message": "a valid token is needed (Authorization: Bearer TOKEN)"},
                headers={"WWW-Authenticate": "Bearer"},
            )

    def reviewer(request: Request) -> str:
        # X-Reviewer (API) and the login cookie hold the name percent-encoded (UTF-8).
        given = request.headers.get("x-reviewer") or request.cookies.get(REVIEWER_COOKIE, "")
        name = _unquote(given) or "api"
        return "".join(ch for ch in name if ch.isprintable())[:200] or "api"

    def record_of(sha256: str) -> Record:
        data = store.record_json(sha256)
        if data is None:
            raise HTTPException(404, {"code": "document.not_found", "message": "no record for this document"})
        return Record.model_validate(data)

    auth = [Depends(require_token)]

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    # ---- jobs --------------------------------------------------------------------------------------

    @app.post(UPLOAD_PATH, status_code=202, response_model=Accepted, dependencies=auth, tags=["jobs"])
    async def upload(files: Annotated[list[UploadFile], File(description="one or many documents")]) -> Any:
        """Store each file and queue it; a job id per file taken. Each file is on disk and its job
        committed before this answers. 202 when at least one file was taken, else the refusal's 4xx."""
        if len(files) > settings.max_files:
            raise HTTPException(
                413, {"code": "upload.too_many_files", "message": f"at most {settings.max_files} files"}
            )
        jobs: list[dict[str, Any]] = []
        refused: list[dict[str, Any]] = []
        for item in files:
            try:
                jobs.append(await run_in_threadpool(store.accept, item.file, item.filename))
            except Refused as exc:
                refused.append(
                    {
                        "file_name": item.filename,
                        "status": exc.status,
                        "code": exc.code,
                        "message": exc.message,
                    }
                )
        if not jobs:
            first = refused[0]
            raise HTTPException(
                first["status"], {"code": first["code"], "message": first["message"], "refused": refused}
            )
        return {"jobs": jobs, "refused": refused}

    @app.get("/v1/jobs", response_model=list[JobOut], dependencies=auth, tags=["jobs"])
    def list_jobs(
        status: Literal["queued", "running", "done", "failed"] | None = None,
        limit: int = Query(100, ge=1, le=1000),
    ) -> Any:
        return store.jobs(status, limit)

    @app.get("/v1/jobs/{job_id}", response_model=JobOut, dependencies=auth, tags=["jobs"])
    def get_job(job_id: str) -> Any:
        job = store.job(job_id)
        if job is None:
            raise HTTPException(404, {"code": "job.not_found", "message": "no such job"})
        return job_dict(job)

    @app.get("/v1/jobs/{job_id}/record", dependencies=auth, tags=["jobs"])
    def job_record(job_id: str) -> Any:
        """The record (the vanban JSON Schema) once the job is done; 409 before."""
        job = store.job(job_id)
        if job is None:
            raise HTTPException(404, {"code": "job.not_found", "message": "no such job"})
        if job.status != "done" or not job.record_file:
            raise HTTPException(409, {"code": "job.not_done", "message": f"job is {job.status}"})
        return FileResponse(store.records / job.record_file, media_type="application/json")

    # ---- catalog -----------------------------------------------------------------------------------

    @app.get("/v1/documents", dependencies=auth, tags=["catalog"])
    def documents(
        doc_type: str | None = None,
        issuer: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        text: str | None = None,
        limit: int = Query(100, ge=1, le=1000),
    ) -> Any:
        """Search the catalog: type (name or code), issuer, issued-date range, words of the text."""
        return store.catalog.documents(
            doc_type=doc_type, issuer=issuer, date_from=date_from, date_to=date_to, text=text, limit=limit
        )

    @app.get("/v1/tasks", dependencies=auth, tags=["catalog"])
    def tasks(
        body: str | None = None,
        lead: str | None = None,
        quarter: str | None = None,
        text: str | None = None,
        limit: int = Query(100, ge=1, le=1000),
    ) -> Any:
        """Tasks of the catalog's plans and letters, by body, lead, quarter ('2026-Q3') and words."""
        return store.catalog.tasks(body=body, lead=lead, quarter=quarter, text=text, limit=limit)

    @app.get("/v1/documents/{sha256}", dependencies=auth, tags=["catalog"])
    def document(sha256: str) -> Any:
        """A document's record (the vanban JSON Schema) by the sha256 of its file."""
        path = store.record_file_of(_sha(sha256))
        if path is None:
            raise HTTPException(404, {"code": "document.not_found", "message": "no record for this document"})
        return FileResponse(path, media_type="application/json")

    @app.get("/v1/documents/{sha256}/pages/{page}.png", dependencies=auth, tags=["catalog"])
    async def page_png(sha256: str, page: int, scale: float = 1.5) -> Any:
        """A PDF page rendered to PNG (scale 1, 1.5 or 2 times 72 dpi)."""
        if not _is_sha(sha256) or scale not in SCALES:
            raise HTTPException(400, {"code": "page.bad_request", "message": f"scale is one of {SCALES}"})
        upload = store.upload_of(sha256)
        if upload is None or not upload.is_file():
            raise HTTPException(404, {"code": "document.not_found", "message": "no such document"})
        if upload.suffix != ".pdf":
            raise HTTPException(404, {"code": "page.no_image", "message": "only PDF pages have images"})
        image = await run_in_threadpool(page_image, upload, page, scale, store.pages, sha256)
        if image is None:
            raise HTTPException(
                404, {"code": "page.not_rendered", "message": "no such page, or it cannot be rendered"}
            )
        return FileResponse(image, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    # ---- review ------------------------------------------------------------------------------------

    @app.get("/v1/documents/{sha256}/review", dependencies=auth, tags=["review"])
    def review_data(sha256: str) -> Any:
        """Per field: machine value, evidence (with line boxes) and the verdicts given so far."""
        record = record_of(_sha(sha256))
        return {
            "sha256": sha256,
            "format": record.source.format,
            "pages": [page.model_dump() for page in record.source.pages],
            "texts": record.text.pages if record.text else [],
            "fields": review_fields(record),
            "corrections": store.corrections(sha256),
        }

    @app.post("/v1/documents/{sha256}/corrections", status_code=201, dependencies=auth, tags=["review"])
    def add_correction(sha256: str, correction: CorrectionIn, request: Request) -> Any:
        """Accept a field as read, or correct it; stored with who and when, beside the record."""
        record = record_of(_sha(sha256))
        try:
            value = check_value(
                correction.field, correction.value if correction.action == "correct" else None
            )
        except BadValue as exc:
            raise HTTPException(422, {"code": "correction.bad_value", "message": str(exc)}) from exc
        machine = machine_value(to_gold_shape(record), correction.field)
        return store.add_correction(
            sha256, correction.field, correction.action, value, machine, correction.note, reviewer(request)
        )

    @app.get("/v1/documents/{sha256}/corrections", dependencies=auth, tags=["review"])
    def list_corrections(sha256: str) -> Any:
        return store.corrections(_sha(sha256))

    @app.get("/v1/documents/{sha256}/gold", dependencies=auth, tags=["review"])
    def gold(sha256: str) -> Any:
        """The document's gold annotation (corpus format) from its corrections."""
        rows = store.corrections(_sha(sha256))
        if not rows:
            raise HTTPException(404, {"code": "gold.not_reviewed", "message": "no field of it was reviewed"})
        return gold_document(record_of(sha256), rows)

    @app.get("/v1/gold.zip", dependencies=auth, tags=["review"])
    def gold_zip() -> Response:
        """Every reviewed document's gold annotation: ``gold/<id>.json``, for ``vanban evaluate --gold``."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for sha256 in store.reviewed():
                data = store.record_json(sha256)
                if data is None:
                    continue
                shape = gold_document(Record.model_validate(data), store.corrections(sha256))
                archive.writestr(f"gold/{shape['id']}.json", json.dumps(shape, ensure_ascii=False, indent=2))
        return Response(
            buffer.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="gold.zip"'},
        )

    # ---- pages for people --------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(next: str = "/review", failed: bool = False) -> str:
        return templates.get_template("login.html").render(next=_local(next), failed=failed)

    @app.post("/login", include_in_schema=False)
    def login(token: str = Form(...), name: str = Form(...), next: str = Form("/review")) -> Response:
        given = token.encode()
        if settings.token is not None and not secrets.compare_digest(given, settings.token.encode()):
            return RedirectResponse(f"/login?failed=1&next={quote(_local(next))}", status_code=303)
        response = RedirectResponse(_local(next), status_code=303)
        cookie = {"httponly": True, "samesite": "strict", "path": "/"}
        response.set_cookie(TOKEN_COOKIE, token, **cookie)  # type: ignore[arg-type]
        response.set_cookie(REVIEWER_COOKIE, quote(name.strip()[:200] or "reviewer"), **cookie)  # type: ignore[arg-type]
        return response

    def page_or_login(request: Request) -> RedirectResponse | None:
        if authorised(request):
            return None
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review_list(request: Request) -> Response:
        if (redirect := page_or_login(request)) is not None:
            return redirect
        return HTMLResponse(templates.get_template("list.html").render(jobs=store.jobs(limit=500)))

    @app.get("/review/{sha256}", response_class=HTMLResponse, include_in_schema=False)
    def review_page(sha256: str, request: Request) -> Response:
        if (redirect := page_or_login(request)) is not None:
            return redirect
        record = record_of(_sha(sha256))
        return HTMLResponse(
            templates.get_template("review.html").render(
                sha256=sha256,
                path=store.file_name_of(sha256) or Path(record.source.path).name,
                status=record.status,
                reviewer=_unquote(request.cookies.get(REVIEWER_COOKIE, "")),
            )
        )

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str) -> Response:
        allowed = {"review.js": "text/javascript", "review.css": "text/css"}
        if name not in allowed:
            raise HTTPException(404)
        return Response(static.joinpath(name).read_bytes(), media_type=allowed[name])

    @app.exception_handler(Refused)
    async def refused(_request: Request, exc: Refused) -> JSONResponse:
        return JSONResponse({"detail": {"code": exc.code, "message": exc.message}}, status_code=exc.status)

    app.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    return app


def _is_sha(value: str) -> bool:
    return len(value) == 64 and all(ch in "0123456789abcdef" for ch in value)


def _sha(value: str) -> str:
    if not _is_sha(value):
        raise HTTPException(404, {"code": "document.not_found", "message": "not a document id (sha256)"})
    return value


def _local(path: str) -> str:
    """Only a path of this server is a place to go after the login (no open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/review"


def _unquote(value: str) -> str:
    from urllib.parse import unquote

    with contextlib.suppress(Exception):
        return unquote(value)
    return value
