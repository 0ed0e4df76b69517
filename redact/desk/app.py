"""The desk's web app: server-rendered pages (Starlette and Jinja2, which
ships with docxtpl), one plain JavaScript file, nothing fetched from
elsewhere.

Who may use it: the URL printed at launch carries a random token; the first
request with it sets a cookie, and every request must carry that cookie.
Every request that changes the store must also carry the page's CSRF token
(a header, or a form field) and, when the browser sends one, an Origin of
this server. Nothing is cached by the browser.

Every decision and mark goes to the case's store as the command line
records it (``redact.review``), with the desk's reviewer: the browser and
the command line can work on one case at once.
"""

from __future__ import annotations

import contextlib
import secrets
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redact.case import Case, open_case
from redact.config import Settings
from redact.desk import views
from redact.desk.render import Pages
from redact.detect.rules import RuleSet
from redact.exceptions import CaseError, RedactError, RequestError
from redact.review.bulk import SCOPES, select
from redact.review.marks import MarkRequest, add_mark, check_exemption
from redact.review.undo import Step, UndoLog
from redact.store.db import Decision, FindingFilter

HERE = Path(__file__).parent
COOKIE = "redact_desk"
WHO_COOKIE = "redact_reviewer"
ACTIONS = ("approve", "reject", "edit")
MARK_SCOPES = ("here", "document", "case")
QUEUE_ROWS = 300  # rows the queue page lists, riskiest first (a large case has tens of thousands pending)


@dataclass
class Desk:
    """What the app serves: the case folder, its settings and rules, the
    reviewer deciding (None: asked on the first visit) and the session's
    secrets. The case is opened by the server itself when it starts
    (SQLite connections belong to the thread that made them)."""

    case_dir: Path
    settings: Settings
    rules: RuleSet
    reviewer: str | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    today: Callable[[], date] = date.today
    _case: Case | None = None
    _pages: Pages | None = None

    @property
    def case(self) -> Case:
        """The open case (while the server runs)."""
        if self._case is None:
            raise RuntimeError("the desk's case is opened when its server starts")
        return self._case

    @property
    def pages(self) -> Pages:
        """Page images, texts and previews of the open case."""
        if self._pages is None:
            raise RuntimeError("the desk's case is opened when its server starts")
        return self._pages

    def log_of(self, reviewer: str) -> UndoLog:
        """What ``reviewer`` can undo and redo, from the store (it outlives this server)."""
        return UndoLog.of(self.case.store, reviewer)

    @contextlib.asynccontextmanager
    async def serving(self, app: Starlette) -> AsyncIterator[None]:
        """The server's lifespan: the case is open while it runs."""
        self._case = open_case(self.case_dir)
        self._pages = Pages(self._case, self.settings)
        try:
            yield
        finally:
            self._pages.close()
            self._case.close()
            self._case = self._pages = None


Handler = Callable[[Request], Awaitable[Response]]


def make_app(desk: Desk) -> Starlette:
    """The desk's routes over ``desk.case``."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["csrf"] = desk.csrf

    def guarded(handler: Handler, changes: bool = False) -> Handler:
        """403 without the session cookie; for a change, also without the
        CSRF token or from another origin; known errors as JSON or text."""
        async def run(request: Request) -> Response:
            if not secrets.compare_digest(request.cookies.get(COOKIE, ""), desk.token):
                return Response("redact desk: open the URL printed by 'redact serve' (it carries the token)",
                                status_code=403, media_type="text/plain")
            if changes and not await _change_allowed(request, desk.csrf):
                return JSONResponse({"error": "missing or wrong CSRF token or origin"}, status_code=403)
            try:
                return await handler(request)
            except RequestError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            except CaseError as exc:
                return JSONResponse({"error": str(exc)}, status_code=404)
            except RedactError as exc:
                return JSONResponse({"error": str(exc), "exit_code": int(exc.exit_code)}, status_code=409)
        return run

    def reviewer(request: Request) -> str | None:
        return desk.reviewer or urllib.parse.unquote(request.cookies.get(WHO_COOKIE, "")).strip() or None

    def page_of(request: Request, name: str, context: dict[str, Any]) -> Response:
        who = reviewer(request)
        if who is None:
            return RedirectResponse(f"/who?next={request.url.path}", status_code=303)
        context.setdefault("overview", views.progress(desk.case))
        context.update(reviewer=who,
                       exemptions=[e.code for e in desk.rules.exemptions],
                       default_exemption=desk.settings.default_exemption)
        return templates.TemplateResponse(request, name, context)

    def who_or_refuse(request: Request) -> str:
        who = reviewer(request)
        if who is None:
            raise RequestError("say who you are first (the desk asks on the first visit)")
        return who

    async def enter(request: Request) -> Response:
        if secrets.compare_digest(request.query_params.get("token", ""), desk.token):
            response = RedirectResponse("/case", status_code=303)
            response.set_cookie(COOKIE, desk.token, httponly=True, samesite="strict")
            return response
        return Response("redact desk: open the URL printed by 'redact serve' (it carries the token)",
                        status_code=403, media_type="text/plain")

    async def who_form(request: Request) -> Response:
        return templates.TemplateResponse(request, "who.html", {"next": _local(request.query_params.get("next"))})

    async def who_set(request: Request) -> Response:
        form = await _form(request)
        name = form.get("name", "").strip()
        if not name:
            return HTMLResponse("a name is needed: every decision records who made it", status_code=400)
        response = RedirectResponse(_local(form.get("next", "")), status_code=303)
        response.set_cookie(WHO_COOKIE, urllib.parse.quote(name[:200]), httponly=True, samesite="strict")
        return response

    async def case_page(request: Request) -> Response:
        return page_of(request, "case.html", {"overview": views.overview(desk.case, desk.settings, desk.today())})

    async def queue_page(request: Request) -> Response:
        names = {d["id"]: d["name"] for d in desk.case.store.documents()}
        queue = views.risk_queue(desk.case)
        return page_of(request, "queue.html", {"queue": [views.FindingView.of(f) for f in queue[:QUEUE_ROWS]],
                                               "pending": len(queue), "names": names})

    async def page_view(request: Request) -> Response:
        doc_id, number = int(request.path_params["doc"]), int(request.path_params["page"])
        zoom = _zoom(request)
        data = _page_data(desk, doc_id, number, zoom)
        if request.query_params.get("released") and data["kind"] != "pdf":
            data["released_parts"] = desk.pages.parts(doc_id, released=True)
        return page_of(request, "page.html", data)

    async def image(request: Request) -> Response:
        doc_id, number = int(request.path_params["doc"]), int(request.path_params["page"])
        released = request.query_params.get("released") == "1"
        png = desk.pages.png(doc_id, number, _zoom(request), released=released)
        return Response(png, media_type="image/png") if png else Response(status_code=404)

    async def api_case(request: Request) -> Response:
        return JSONResponse(views.overview(desk.case, desk.settings, desk.today()).to_json())

    async def api_page(request: Request) -> Response:
        data = _page_data(desk, int(request.path_params["doc"]), int(request.path_params["page"]), _zoom(request))
        return JSONResponse({k: v for k, v in _jsonable(data).items() if k != "parts"})

    async def api_preview(request: Request) -> Response:
        preview = desk.pages.preview(int(request.path_params["doc"]))
        return JSONResponse({"verified": preview.verified, "problems": preview.problems, "plan": preview.digest})

    async def api_decide(request: Request) -> Response:
        who = who_or_refuse(request)
        body = await _json(request)
        action, scope = str(body.get("action", "")), str(body.get("scope", "finding"))
        if action not in ACTIONS:
            raise RequestError(f"action must be one of {', '.join(ACTIONS)}")
        if scope not in SCOPES:
            raise RequestError(f"scope must be one of {', '.join(SCOPES)}")
        text = str(body.get("text") or "").strip() or None
        exemption = str(body.get("exemption") or "").strip() or None
        if action == "edit" and not (text or exemption):
            raise RequestError("an edit needs a new text or exemption code")
        if exemption:
            check_exemption(desk.rules, exemption)
        chosen = desk.case.store.finding(_int(body.get("finding_id")))
        selection = select(desk.case.store, chosen, scope, action)
        if scope != "finding" and not body.get("confirm"):
            return JSONResponse({"statement": selection.statement, "count": len(selection.findings),
                                 "confirm_needed": True})
        reason = str(body.get("reason") or "").strip() or f"{action} at the review desk"
        decisions = [Decision(f.id, action, reason, text if f.id == chosen.id or scope == "text" else None, exemption)
                     for f in selection.findings]
        ids = desk.case.store.append_decisions(decisions, who)
        desk.log_of(who).record(desk.case.store, who, Step(selection.statement, decisions=tuple(ids)))
        changed = desk.case.store.findings(FindingFilter(ids=[f.id for f in selection.findings]))
        return JSONResponse({"statement": selection.statement, "decided": [_status(f) for f in changed],
                             "progress": _progress(desk)})

    async def api_mark(request: Request) -> Response:
        who = who_or_refuse(request)
        body = await _json(request)
        doc_id = _int(body.get("document_id"))
        doc = desk.case.store.document(doc_id)
        kind, scope = str(body.get("kind", "")), str(body.get("scope", "document"))
        exemption = str(body.get("exemption") or desk.settings.default_exemption)
        reason = str(body.get("reason") or "").strip() or "marked at the review desk"
        page = int(body["page"]) if body.get("page") is not None else None
        if scope not in MARK_SCOPES:
            raise RequestError(f"scope must be one of {', '.join(MARK_SCOPES)}")
        requests: list[MarkRequest] = []
        if kind == "words":  # words selected on a PDF page: the server reads their text itself
            pt = desk.pages.page_text(doc_id, page or 0)
            if pt is None:
                raise RequestError(f"{doc['name']} has no page {page} with text")
            text, lines = views.text_of_words(pt, [_int(i) for i in body.get("words") or []])
            if not text:
                raise RequestError("no words selected")
            if scope == "here":
                requests = [MarkRequest("area", exemption, who, reason, doc_id, page=page, rect=_pad(line))
                            for line in lines]
            else:
                requests = [MarkRequest("text", exemption, who, reason, None if scope == "case" else doc_id,
                                        pattern=text)]
            what = f"'{text}'"
        elif kind == "text":  # text selected in a Word or text part
            text = " ".join(str(body.get("text") or "").split())
            requests = [MarkRequest("text", exemption, who, reason, None if scope == "case" else doc_id, pattern=text)]
            what = f"'{text}'"
        elif kind == "area":
            rect = body.get("rect") or []
            if len(rect) != 4:
                raise RequestError("an area is four numbers: x0 y0 x1 y1 in points")
            x0, y0, x1, y1 = (float(v) for v in rect)
            requests = [MarkRequest("area", exemption, who, reason, doc_id, page=page, rect=(x0, y0, x1, y1))]
            what = f"an area of page {page}"
        elif kind == "page":
            requests = [MarkRequest("page", exemption, who, reason, doc_id, page=page)]
            what = f"the whole of page {page}"
        else:
            raise RequestError("kind must be one of words, text, area, page")
        where = {"here": "here", "document": f"everywhere in {doc['name']}", "case": "everywhere in the case"}
        place = where[scope] if kind in ("words", "text") else f"in {doc['name']}"
        statement = f"redact {what} ({exemption}) {place}"
        if not body.get("confirm"):
            return JSONResponse({"statement": statement, "confirm_needed": True})
        ids = [add_mark(desk.case, desk.rules, r) for r in requests]
        desk.log_of(who).record(desk.case.store, who, Step(statement, marks=tuple(ids)))
        return JSONResponse({"statement": statement, "marks": ids})

    async def api_withdraw(request: Request) -> Response:
        who = who_or_refuse(request)
        mark_id = int(request.path_params["mark"])
        body = await _json(request)
        desk.case.store.manual_mark(mark_id)
        reason = str(body.get("reason") or "").strip() or "withdrawn at the review desk"
        if not desk.case.store.withdraw_manual(mark_id, who, reason):
            raise RequestError(f"manual redaction {mark_id} was already withdrawn")
        return JSONResponse({"withdrawn": mark_id})

    async def api_undo(request: Request) -> Response:
        who = who_or_refuse(request)
        return JSONResponse({"message": desk.log_of(who).undo(desk.case.store, who)})

    async def api_redo(request: Request) -> Response:
        who = who_or_refuse(request)
        return JSONResponse({"message": desk.log_of(who).redo(desk.case.store, who)})

    async def api_release(request: Request) -> Response:
        """Apply (with verification) and pack, as `redact apply` then `redact pack`,
        in a worker thread with its own connection to the case."""
        who_or_refuse(request)
        messages, ok, pack = await anyio.to_thread.run_sync(_release, desk)
        return JSONResponse({"ok": ok, "messages": messages, "pack": pack}, status_code=200 if ok else 409)

    return Starlette(routes=[
        Route("/", enter),
        Route("/who", guarded(who_form)),
        Route("/who", guarded(who_set, changes=True), methods=["POST"]),
        Route("/case", guarded(case_page)),
        Route("/queue", guarded(queue_page)),
        Route("/documents/{doc:int}/pages/{page:int}", guarded(page_view)),
        Route("/documents/{doc:int}/pages/{page:int}.png", guarded(image)),
        Route("/api/case", guarded(api_case)),
        Route("/api/documents/{doc:int}/pages/{page:int}", guarded(api_page)),
        Route("/api/documents/{doc:int}/preview", guarded(api_preview)),
        Route("/api/decisions", guarded(api_decide, changes=True), methods=["POST"]),
        Route("/api/marks", guarded(api_mark, changes=True), methods=["POST"]),
        Route("/api/marks/{mark:int}/withdraw", guarded(api_withdraw, changes=True), methods=["POST"]),
        Route("/api/undo", guarded(api_undo, changes=True), methods=["POST"]),
        Route("/api/redo", guarded(api_redo, changes=True), methods=["POST"]),
        Route("/api/release", guarded(api_release, changes=True), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ], middleware=[Middleware(NoStore)], lifespan=desk.serving)


def _page_data(desk: Desk, doc_id: int, number: int, zoom: float) -> dict[str, Any]:
    """Everything the page view shows of one page (or, for Word and text, the whole document)."""
    doc = desk.case.store.document(doc_id)
    findings = desk.case.store.findings(FindingFilter(document_id=doc_id))
    pdf = doc["kind"] == "pdf"
    pages = int(doc["pages"] or 1) if pdf else 1
    if not 1 <= number <= pages:
        raise CaseError(f"{doc['name']} has no page {number}")
    on_page = [f for f in findings if (f.page or 1) == number] if pdf else findings
    marks = desk.case.store.manual_redactions(doc_id)
    pt = desk.pages.page_text(doc_id, number) if pdf else None
    return {
        "doc": {"id": doc["id"], "name": doc["name"], "kind": doc["kind"]}, "kind": doc["kind"], "pdf": pdf,
        "page": number, "pages": pages, "zoom": zoom, "zooms": views.ZOOMS,
        "findings": [views.FindingView.of(f, zoom) for f in on_page],
        "words": views.words_of(pt, zoom) if pt is not None else [],
        "marks": views.mark_views(marks, pt, number, zoom),
        "parts": [] if pdf else views.part_views(desk.pages.parts(doc_id), on_page),
        "next_pending": views.next_pending_url(desk.case, (doc_id, number)),
        "doc_reviewed": sum(f.status != "pending" for f in findings), "doc_total": len(findings),
    }


def _release(desk: Desk) -> tuple[list[str], bool, str | None]:
    """`redact apply` then `redact pack` on the desk's case: the same messages and refusals."""
    from redact.api import apply_case
    from redact.pack.bundle import make_pack

    messages: list[str] = []
    with open_case(desk.case_dir) as case:
        try:
            result = apply_case(case, desk.settings, desk.rules,
                                on_doc=lambda name: messages.append(f"applied and verified {name}"))
        except RedactError as exc:
            return [*messages, f"apply refused (exit {int(exc.exit_code)}): {exc}"], False, None
        for d in result.documents:
            messages += [f"for review in {d['document']}: {item}" for item in d.get("for_review") or []]
        if result.failed or result.errors:
            messages += [f"not released: {e}" for e in result.errors]
            messages += [f"failed verification and not released: {name}" for name in result.failed]
            return messages, False, None
        try:
            pack = make_pack(case, desk.settings, desk.rules, desk.today())
        except RedactError as exc:
            return [*messages, f"pack refused (exit {int(exc.exit_code)}): {exc}"], False, None
    messages.append(f"{pack.letter} letter, {len(pack.manifest['files'])} files; zip: {pack.zip_path}")
    return messages, True, str(pack.folder)


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


async def _change_allowed(request: Request, csrf: str) -> bool:
    """Same origin (when the browser says), and the CSRF token in the header or the form."""
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        return False
    given = request.headers.get("x-csrf-token", "")
    if not given and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        given = (await _form(request)).get("csrf", "")
    return secrets.compare_digest(given, csrf)


async def _form(request: Request) -> dict[str, str]:
    """A small URL-encoded form (the first-visit name), read without a multipart parser."""
    fields = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=10)
    return {key: values[0] for key, values in fields.items()}


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise RequestError("the request body must be JSON") from exc
    if not isinstance(body, dict):
        raise RequestError("the request body must be a JSON object")
    return body


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise RequestError(f"expected a number, got {value!r}") from exc


def _zoom(request: Request) -> float:
    try:
        zoom = float(request.query_params.get("zoom", views.DEFAULT_ZOOM))
    except ValueError:
        zoom = views.DEFAULT_ZOOM
    return zoom if zoom in views.ZOOMS else views.DEFAULT_ZOOM


def _pad(box: tuple[float, float, float, float], margin: float = 1.0) -> tuple[float, float, float, float]:
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)


def _local(path: str | None) -> str:
    """Only a path on this server (never an open redirect)."""
    return path if path and path.startswith("/") and not path.startswith("//") else "/case"


def _status(f: Any) -> dict[str, Any]:
    return {"id": f.id, "status": f.status, "text": f.shown_text, "exemption": f.decided_exemption or f.exemption,
            "reviewer": f.reviewer}


def _progress(desk: Desk) -> dict[str, Any]:
    p = views.progress(desk.case)
    return {"reviewed": p.reviewed, "total": p.total, "next_pending": p.next_pending}


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, list):
            out[key] = [asdict(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
        else:
            out[key] = value
    return out
