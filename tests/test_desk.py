"""The review desk in process (Starlette's test client): only the holder of
the launch token gets in, every change needs the page's CSRF token and this
server's origin, nothing is cached; decisions, bulk decisions, undo, marks
and the release reach the store exactly as the command line's do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from starlette.testclient import TestClient

from redact.case import open_case
from redact.config import load_settings
from redact.desk.app import Desk, make_app
from redact.detect.rules import load_rules
from redact.store.db import FindingFilter, StoredFinding

REVIEWER = "Tamsin Oakshott"


@pytest.fixture
def desk(case: Path) -> Desk:
    settings = load_settings(case_dir=case)
    return Desk(case, settings, load_rules(settings.rules_dir), REVIEWER, today=lambda: date(2026, 1, 8))


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    """A browser that has not been given the token."""
    with TestClient(make_app(desk)) as browser:
        yield browser


@pytest.fixture
def entered(client: TestClient, desk: Desk) -> TestClient:
    """A browser that opened the URL printed at launch."""
    response = client.get(f"/?token={desk.token}", follow_redirects=False)
    assert response.status_code == 303 and "httponly" in response.headers["set-cookie"].lower()
    client.cookies.set("redact_desk", desk.token)
    return client


def _post(client: TestClient, desk: Desk, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json=body, headers={"X-CSRF-Token": desk.csrf, "Origin": "http://testserver"})


def _pending_pdf_findings(desk: Desk) -> tuple[dict[str, Any], list[StoredFinding]]:
    with open_case(desk.case_dir) as case:
        doc = next(dict(d) for d in case.store.documents() if d["name"] == "information-sharing-procedure.pdf")
        return doc, case.store.findings(FindingFilter(document_id=doc["id"], status="pending"))


def _stored(desk: Desk, finding_id: int) -> tuple[StoredFinding, list[dict[str, Any]]]:
    with open_case(desk.case_dir) as case:
        return case.store.finding(finding_id), [dict(d) for d in case.store.decisions(finding_id)]


def test_without_the_token_nothing_is_served(desk: Desk, client: TestClient) -> None:
    doc, found = _pending_pdf_findings(desk)
    assert client.get("/case").status_code == 403
    assert client.get("/api/case").status_code == 403
    assert client.get("/?token=wrong", follow_redirects=False).status_code == 403
    assert client.get(f"/documents/{doc['id']}/pages/1.png").status_code == 403
    refused = _post(client, desk, "/api/decisions", {"finding_id": found[0].id, "action": "approve"})
    assert refused.status_code == 403
    assert _stored(desk, found[0].id)[0].status == "pending"


def test_the_page_view_shows_each_finding_once_with_its_state(desk: Desk, entered: TestClient) -> None:
    doc, found = _pending_pdf_findings(desk)
    overview = entered.get("/case")
    assert overview.status_code == 200 and overview.headers["cache-control"] == "no-store"
    assert doc["name"] in overview.text and "working day(s)" in overview.text
    page = entered.get(f"/documents/{doc['id']}/pages/1")
    on_page = [f for f in found if f.page == 1]
    for f in on_page:
        assert page.text.count(f'data-finding-id="{f.id}"') == 1
    assert page.text.count('data-status="pending"') == len(on_page)
    assert 'class="word"' in page.text  # the words, selectable over the image
    image = entered.get(f"/documents/{doc['id']}/pages/1.png?zoom=2")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert pymupdf.Pixmap(image.content).width > pymupdf.Pixmap(entered.get(
        f"/documents/{doc['id']}/pages/1.png?zoom=1").content).width
    assert entered.get(f"/documents/{doc['id']}/pages/9").status_code == 404
    data = entered.get(f"/api/documents/{doc['id']}/pages/1").json()
    assert sorted(f["id"] for f in data["findings"]) == sorted(f.id for f in on_page)


def test_the_queue_lists_the_riskiest_first_and_says_how_many_more(
        desk: Desk, entered: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import redact.desk.app as app

    with open_case(desk.case_dir) as c:
        pending = c.store.findings(FindingFilter(status="pending"))
        pages = c.store.pending_pages()
    assert pages == sorted({(f.document_id, f.page or 1) for f in pending})  # counted in SQL, the same
    monkeypatch.setattr(app, "QUEUE_ROWS", 3)
    queue = entered.get("/queue").text
    assert queue.count("<tr><td><a href=") == 3 and f"The riskiest 3 of {len(pending)} pending" in queue
    first = entered.get("/case").text
    doc, page = pages[0]
    assert f'href="/documents/{doc}/pages/{page}"' in first  # the first pending page, linked


def test_a_word_document_or_text_shows_its_spans_by_part(desk: Desk, entered: TestClient) -> None:
    with open_case(desk.case_dir) as case:
        doc = next(d for d in case.store.documents() if d["kind"] == "text")
        found = case.store.findings(FindingFilter(document_id=doc["id"]))
    page = entered.get(f"/documents/{doc['id']}/pages/1")
    assert page.status_code == 200 and 'data-part="text"' in page.text
    for f in found:
        assert f'data-finding-id="{f.id}"' in page.text
        assert f">{f.text}</mark>" in page.text


def test_a_decision_needs_the_csrf_token_and_this_origin(desk: Desk, entered: TestClient) -> None:
    _, found = _pending_pdf_findings(desk)
    body = {"finding_id": found[0].id, "action": "approve"}
    assert entered.post("/api/decisions", json=body).status_code == 403
    elsewhere = {"X-CSRF-Token": desk.csrf, "Origin": "http://elsewhere.example"}
    assert entered.post("/api/decisions", json=body, headers=elsewhere).status_code == 403
    assert _post(entered, desk, "/api/decisions", {**body, "action": "shred"}).status_code == 400
    assert _post(entered, desk, "/api/decisions", {**body, "action": "edit", "exemption": "s99"}).status_code == 400
    assert _stored(desk, found[0].id)[0].status == "pending"


def test_decisions_undo_and_redo_are_appended_with_the_reviewer(desk: Desk, entered: TestClient) -> None:
    _, found = _pending_pdf_findings(desk)
    fid = found[0].id
    response = _post(entered, desk, "/api/decisions",
                     {"finding_id": fid, "action": "reject", "reason": "chief officer"})
    assert response.status_code == 200 and response.json()["decided"][0]["status"] == "rejected"
    stored, _ = _stored(desk, fid)
    assert stored.status == "rejected" and stored.reviewer == REVIEWER and stored.reason == "chief officer"
    assert _post(entered, desk, "/api/undo", {}).json()["message"].startswith("undone")
    assert _stored(desk, fid)[0].status == "pending"
    assert _post(entered, desk, "/api/redo", {}).status_code == 200
    stored, log = _stored(desk, fid)
    assert stored.status == "rejected"
    assert [d["action"] for d in log] == ["reject", "reopen", "reject"]  # nothing rewritten
    assert all(d["reviewer"] == REVIEWER for d in log)
    # someone else decides after: my undo must not overturn it
    with open_case(desk.case_dir) as case:
        case.store.decide([fid], "approve", "Peregrine Quillfeather", "a junior officer")
    refused = _post(entered, desk, "/api/undo", {})
    assert refused.status_code == 400 and "Peregrine Quillfeather" in refused.json()["error"]
    assert _stored(desk, fid)[0].status == "approved"


def test_undo_and_redo_survive_a_restart_of_the_desk(desk: Desk, entered: TestClient) -> None:
    import sqlite3

    _, found = _pending_pdf_findings(desk)
    first, second = found[0].id, found[1].id
    for fid in (first, second):
        assert _post(entered, desk, "/api/decisions", {"finding_id": fid, "action": "approve"}).status_code == 200
    assert _post(entered, desk, "/api/undo", {}).status_code == 200  # the second approval taken back
    # a new server on the same case, as after Ctrl-C and `redact serve` again
    again = Desk(desk.case_dir, desk.settings, desk.rules, REVIEWER, today=desk.today)
    with TestClient(make_app(again)) as browser:
        browser.cookies.set("redact_desk", again.token)
        assert _post(browser, again, "/api/redo", {}).json()["message"].startswith("redone")
        assert _stored(again, second)[0].status == "approved"
        assert _post(browser, again, "/api/undo", {}).status_code == 200
        assert _post(browser, again, "/api/undo", {}).status_code == 200
        assert _stored(again, first)[0].status == "pending" and _stored(again, second)[0].status == "pending"
        assert _post(browser, again, "/api/undo", {}).status_code == 400  # nothing left of mine to undo
    # the events are append-only, like the decisions
    with open_case(desk.case_dir) as case, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        case.store.conn.execute("DELETE FROM undo_events")


def test_a_bulk_decision_states_its_scope_before_it_runs(desk: Desk, entered: TestClient) -> None:
    _, found = _pending_pdf_findings(desk)
    chosen = found[0]
    with open_case(desk.case_dir) as case:
        same = [f for f in case.store.findings(FindingFilter(recogniser=chosen.recogniser)) if f.status == "pending"]
    body = {"finding_id": chosen.id, "action": "approve", "scope": "recogniser"}
    statement = _post(entered, desk, "/api/decisions", body).json()
    assert statement["confirm_needed"] and statement["count"] == len(same)
    assert chosen.recogniser in statement["statement"]
    assert _stored(desk, chosen.id)[0].status == "pending"  # stated, not run
    done = _post(entered, desk, "/api/decisions", {**body, "confirm": True}).json()
    assert sorted(d["id"] for d in done["decided"]) == sorted(f.id for f in same)
    assert {d["status"] for d in done["decided"]} == {"approved"}
    _post(entered, desk, "/api/undo", {})
    assert all(_stored(desk, f.id)[0].status == "pending" for f in same)


def test_marks_from_the_desk_are_manual_redactions_like_redact_mark(desk: Desk, entered: TestClient) -> None:
    doc, _ = _pending_pdf_findings(desk)
    page = entered.get(f"/api/documents/{doc['id']}/pages/1").json()
    words = {w["text"]: w["index"] for w in page["words"]}
    body = {"document_id": doc["id"], "page": 1, "kind": "words", "words": [words["Purpose"]], "scope": "document",
            "exemption": "s31(1)(a)"}
    stated = _post(entered, desk, "/api/marks", body).json()
    assert stated["confirm_needed"] and "'Purpose'" in stated["statement"]
    mark_id = _post(entered, desk, "/api/marks", {**body, "confirm": True}).json()["marks"][0]
    here = _post(entered, desk, "/api/marks", {**body, "words": [words["Scope"]], "scope": "here",
                                               "confirm": True}).json()["marks"][0]
    area = _post(entered, desk, "/api/marks", {"document_id": doc["id"], "page": 2, "kind": "area",
                                               "rect": [50, 50, 120, 80], "confirm": True}).json()["marks"][0]
    off_page = _post(entered, desk, "/api/marks",
                     {"document_id": doc["id"], "page": 7, "kind": "page", "confirm": True})
    assert off_page.status_code == 400 and "no page 7" in off_page.json()["error"]
    bad_code = _post(entered, desk, "/api/marks", {**body, "exemption": "s99", "confirm": True})
    assert bad_code.status_code == 400 and "register" in bad_code.json()["error"]
    with open_case(desk.case_dir) as case:
        rows = {r["id"]: dict(r) for r in case.store.conn.execute("SELECT * FROM manual_redactions")}
    assert rows[mark_id]["kind"] == "text" and rows[mark_id]["pattern"] == "Purpose"
    assert rows[mark_id]["exemption"] == "s31(1)(a)" and rows[mark_id]["reviewer"] == REVIEWER
    assert rows[here]["kind"] == "area" and rows[here]["page"] == 1
    assert rows[area]["kind"] == "area" and rows[area]["page"] == 2
    shown = entered.get(f"/documents/{doc['id']}/pages/1").text
    assert f'data-mark-id="{mark_id}" data-status="manual"' in shown
    _post(entered, desk, "/api/undo", {})  # the area on page 2
    with open_case(desk.case_dir) as case:
        assert case.store.manual_mark(area)["withdrawn_by"] == REVIEWER
        assert len(case.store.manual_redactions(doc["id"])) == 2


QUESTION = """questions:
  - text: Please send the information sharing procedure.
    outcome: partly_disclosed
    exemptions:
      - code: s40(2)
      - code: s31(1)(a)
        balance: Releasing how partner agencies reach officers would help offenders more than the public.
"""


def test_a_word_redacted_at_the_desk_is_gone_scheduled_and_verified(desk: Desk, entered: TestClient) -> None:
    case_yaml = desk.case_dir / "case.yaml"
    case_yaml.write_text(case_yaml.read_text().replace("questions: []\n", QUESTION))
    doc, _ = _pending_pdf_findings(desk)
    page = entered.get(f"/api/documents/{doc['id']}/pages/1").json()
    word = next(w for w in page["words"] if w["text"] == "volunteers.")
    _post(entered, desk, "/api/marks", {"document_id": doc["id"], "page": 1, "kind": "words", "words": [word["index"]],
                                         "scope": "here", "exemption": "s31(1)(a)", "confirm": True})
    refused = _post(entered, desk, "/api/release", {})
    assert refused.status_code == 409 and "pending" in " ".join(refused.json()["messages"])
    with open_case(desk.case_dir) as case:
        for f in case.store.findings(FindingFilter(status="pending")):
            _post(entered, desk, "/api/decisions", {"finding_id": f.id, "action": "reject" if f.public else "approve"})
    preview = entered.get(f"/api/documents/{doc['id']}/preview").json()
    assert preview["verified"], preview["problems"]
    released = entered.get(f"/documents/{doc['id']}/pages/1.png?released=1")
    original = entered.get(f"/documents/{doc['id']}/pages/1.png")
    assert released.status_code == 200 and released.content != original.content
    result = _post(entered, desk, "/api/release", {})
    assert result.status_code == 200, result.json()
    pack = Path(result.json()["pack"])
    with open_case(desk.case_dir) as case:
        out = next(o for o in case.store.outputs() if o["document_id"] == doc["id"])
        assert out["verified"]
        text = pymupdf.open(case.root / out["path"])[0].get_text()
    assert "volunteers" not in text and "Purpose" in text
    schedule = next(pack.rglob("*schedule*.csv")).read_text()
    assert f"{doc['name']},1,s31(1)(a),1" in schedule


def test_the_desk_asks_who_is_reviewing_when_nobody_said(case: Path) -> None:
    settings = load_settings(case_dir=case)
    desk = Desk(case, settings, load_rules(settings.rules_dir), None)
    with TestClient(make_app(desk)) as client:
        client.get(f"/?token={desk.token}")
        client.cookies.set("redact_desk", desk.token)
        first = client.get("/case", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].startswith("/who")
        assert client.post("/who", data={"name": "Orla Penhallow", "next": "/case"}).status_code == 403  # no CSRF
        named = client.post("/who", data={"name": "Siân O'Penhallow", "next": "/case", "csrf": desk.csrf},
                            follow_redirects=False)
        assert named.status_code == 303 and named.headers["location"] == "/case"
        assert "reviewer: Siân O&#39;Penhallow" in client.get("/case").text
        _, found = _pending_pdf_findings(desk)
        decided = _post(client, desk, "/api/decisions", {"finding_id": found[0].id, "action": "approve"})
        assert decided.status_code == 200
        assert _stored(desk, found[0].id)[0].reviewer == "Siân O'Penhallow"


def test_serve_refuses_a_remote_host_without_the_flag(case: Path) -> None:
    from tests.test_cli import invoke

    code, _, err = invoke("serve", str(case), "--host", "0.0.0.0", "--no-browser")
    assert code == 2 and "--allow-remote" in err


def test_a_word_file_shows_every_part_and_text_selected_in_it_is_marked(tmp_path: Path) -> None:
    from tests.pdfs import adversarial_docx
    from tests.test_cli import invoke

    case_dir = tmp_path / "case"
    invoke("init", str(case_dir), "--reference", "FOI-2025-0143", "--received", "2025-12-19")
    invoke("add", str(case_dir), str(adversarial_docx(tmp_path / "statement.docx")))
    assert invoke("scan", str(case_dir))[0] == 0
    settings = load_settings(case_dir=case_dir)
    desk = Desk(case_dir, settings, load_rules(settings.rules_dir), REVIEWER)
    with TestClient(make_app(desk)) as client:
        client.get(f"/?token={desk.token}")
        client.cookies.set("redact_desk", desk.token)
        with open_case(case_dir) as case:
            doc = case.store.documents()[0]
            found = case.store.findings(FindingFilter(document_id=doc["id"]))
        overview = client.get("/api/case").json()
        assert any(n.startswith("parts read") for n in overview["documents"][0]["notes"])  # the scan's notes
        assert "parts read" in client.get("/case").text
        page = client.get(f"/documents/{doc['id']}/pages/1").text
        for part in ("body", "header1", "footer1", "comments"):
            assert f'data-part="{part}"' in page
        assert {f.explanation["part"] for f in found} >= {"body", "header1"}
        for f in found:
            assert page.count(f'data-finding-id="{f.id}"') == 1
        marked = _post(client, desk, "/api/marks", {"document_id": doc["id"], "kind": "text", "text": "a  neighbour",
                                                    "scope": "document", "confirm": True})
        assert marked.status_code == 200
        for f in found:
            _post(client, desk, "/api/decisions", {"finding_id": f.id, "action": "reject" if f.public else "approve"})
        view = client.get(f"/documents/{doc['id']}/pages/1?released=1").text
        released = view[view.index('<div class="parts"'):view.index('<aside')]
        assert "body (as released)" in released and "a neighbour" not in released
        assert all(f.text not in released for f in found if not f.public)
        area = _post(client, desk, "/api/marks", {"document_id": doc["id"], "page": 1, "kind": "area",
                                                  "rect": [0, 0, 9, 9], "confirm": True})
        assert area.status_code == 400 and "apply to PDFs" in area.json()["error"]
    with open_case(case_dir) as case:
        marks = case.store.manual_redactions(doc["id"])
    assert [(m.kind, m.pattern) for m in marks] == [("text", "a neighbour")]
