"""The desk's web app: server-rendered pages (Starlette and Jinja2, which
ships with docxtpl), a little plain JavaScript, nothing fetched from
elsewhere.

Who may use it: the URL printed at launch carries a random token; the first
request with it sets a cookie, and every request must carry that cookie.
Every request that changes the store must also carry the page's CSRF token
in a header and, when the browser sends one, an Origin of this server.
Nothing is cached by the browser.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pymupdf
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redact.case import Case, open_case
from redact.store.db import FindingFilter, StoredFinding

HERE = Path(__file__).parent
COOKIE = "redact_desk"
ZOOM = 1.5  # page images at 108 dpi
ACTIONS = ("approve", "reject")


@dataclass
class Desk:
    """What the app serves: the case folder, the reviewer deciding, and the
    session's secrets. The case is opened by the server itself when it
    starts (SQLite connections belong to the thread that made them)."""

    case_dir: Path
    reviewer: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    _case: Case | None = None

    @property
    def case(self) -> Case:
        """The open case (while the server runs)."""
        if self._case is None:
            raise RuntimeError("the desk's case is opened when its server starts")
        return self._case

    @contextlib.asynccontextmanager
    async def serving(self, app: Starlette) -> AsyncIterator[None]:
        """The server's lifespan: the case is open while it runs."""
        self._case = open_case(self.case_dir)
        try:
            yield
        finally:
            self._case.close()
            self._case = None


def make_app(desk: Desk) -> Starlette:
    """The desk's routes over ``desk.case``."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    def guard(request: Request) -> Response | None:
        """403 unless the session cookie (or, once, the token) is given."""
        if secrets.compare_digest(request.cookies.get(COOKIE, ""), desk.token):
            return None
        return Response("redact desk: open the URL printed by 'redact serve' (it carries the token)",
                        status_code=403, media_type="text/plain")

    def changes_allowed(request: Request) -> bool:
        origin = request.headers.get("origin")
        same_origin = origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"
        return same_origin and secrets.compare_digest(request.headers.get("x-csrf-token", ""), desk.csrf)

    async def enter(request: Request) -> Response:
        if secrets.compare_digest(request.query_params.get("token", ""), desk.token):
            response = RedirectResponse("/documents", status_code=303)
            response.set_cookie(COOKIE, desk.token, httponly=True, samesite="strict")
            return response
        return guard(request) or RedirectResponse("/documents", status_code=303)

    async def documents(request: Request) -> Response:
        if (refused := guard(request)) is not None:
            return refused
        rows = [dict(r) for r in desk.case.store.status_counts()]
        return templates.TemplateResponse(request, "documents.html",
                                          {"documents": rows, "case": desk.case.info.reference})

    async def page(request: Request) -> Response:
        if (refused := guard(request)) is not None:
            return refused
        doc_id, number = int(request.path_params["doc"]), int(request.path_params["page"])
        doc = desk.case.store.document(doc_id)
        findings = desk.case.store.findings(FindingFilter(document_id=doc_id))
        pages = int(doc["pages"] or 1)
        on_page = [f for f in findings if (f.page or 1) == number] if doc["kind"] == "pdf" else findings
        return templates.TemplateResponse(request, "page.html", {
            "doc": dict(doc), "page": number, "pages": pages, "zoom": ZOOM, "csrf": desk.csrf,
            "findings": [_finding_view(f) for f in on_page], "pdf": doc["kind"] == "pdf",
            "reviewed": sum(f.status != "pending" for f in findings), "total": len(findings)})

    async def image(request: Request) -> Response:
        if (refused := guard(request)) is not None:
            return refused
        doc = desk.case.store.document(int(request.path_params["doc"]))
        if doc["kind"] != "pdf":
            return Response(status_code=404)
        png = _page_png(str(desk.case.original_path(doc["path"])), int(request.path_params["page"]))
        return Response(png, media_type="image/png")

    async def decide(request: Request) -> Response:
        if (refused := guard(request)) is not None:
            return refused
        if not changes_allowed(request):
            return JSONResponse({"error": "missing or wrong CSRF token or origin"}, status_code=403)
        body = await request.json()
        action, reason = str(body.get("action", "")), str(body.get("reason", "")).strip()
        if action not in ACTIONS:
            return JSONResponse({"error": f"action must be one of {', '.join(ACTIONS)}"}, status_code=400)
        fid = int(request.path_params["finding"])
        desk.case.store.finding(fid)  # an unknown id is an error, not a silent no-op
        desk.case.store.decide([fid], action, desk.reviewer, reason or f"{action}d at the review desk")
        return JSONResponse(_finding_view(desk.case.store.finding(fid)))

    return Starlette(routes=[
        Route("/", enter),
        Route("/documents", documents),
        Route("/doc/{doc:int}/page/{page:int}", page),
        Route("/doc/{doc:int}/page/{page:int}.png", image),
        Route("/finding/{finding:int}", decide, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ], middleware=[Middleware(NoStore)], lifespan=desk.serving)


class NoStore:
    """Every response: not cached, not sniffed, no referrer (the URL may hold the token)."""

    HEADERS = [(b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff"),
               (b"referrer-policy", b"no-referrer")]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def _finding_view(f: StoredFinding) -> dict[str, Any]:
    """What the page shows of a finding: its boxes in image pixels, its
    state and why it was proposed."""
    return {"id": f.id, "type": f.type, "text": f.shown_text, "status": f.status, "public": bool(f.public),
            "proposed": f.proposed_action, "why": f.policy_reason, "recogniser": f.recogniser,
            "score": round(f.score, 2), "exemption": f.decided_exemption or f.exemption,
            "boxes": [[round(v * ZOOM, 1) for v in box] for box in f.boxes], "page": f.page}


@lru_cache(maxsize=64)
def _page_png(path: str, number: int) -> bytes:
    """A page rendered once per session (a cache: pages of one case do not change)."""
    with pymupdf.open(path) as doc:
        if not 1 <= number <= doc.page_count:
            return b""
        return bytes(doc[number - 1].get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM)).tobytes("png"))
