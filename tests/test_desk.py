"""The review desk's server: only the holder of the launch token gets in,
every change needs the page's CSRF token and this server's origin, nothing
is cached, and a decision at the desk is recorded in the store with the
reviewer, like one at the command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from redact.case import open_case
from redact.desk.app import Desk, make_app
from redact.store.db import FindingFilter


@pytest.fixture
def desk(case: Path) -> Desk:
    return Desk(case, "Tamsin Oakshott")


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


def _first_pdf_finding(desk: Desk):  # type: ignore[no-untyped-def]
    with open_case(desk.case_dir) as case:
        for doc in [d for d in case.store.documents() if d["kind"] == "pdf"]:
            found = case.store.findings(FindingFilter(document_id=doc["id"], status="pending"))
            if found:
                return dict(doc), found[0]
    raise AssertionError("the sample case has a PDF with pending findings")


def _stored(desk: Desk, finding_id: int):  # type: ignore[no-untyped-def]
    with open_case(desk.case_dir) as case:
        return case.store.finding(finding_id), case.store.decisions(finding_id)


def test_without_the_token_nothing_is_served(desk: Desk, client: TestClient) -> None:
    assert client.get("/documents").status_code == 403
    assert client.get("/?token=wrong", follow_redirects=False).status_code == 403
    doc, finding = _first_pdf_finding(desk)
    assert client.get(f"/doc/{doc['id']}/page/1.png").status_code == 403
    assert client.post(f"/finding/{finding.id}", json={"action": "approve"}).status_code == 403


def test_pages_show_the_findings_and_are_not_cached(desk: Desk, entered: TestClient) -> None:
    client = entered
    listing = client.get("/documents")
    assert listing.status_code == 200 and listing.headers["cache-control"] == "no-store"
    doc, finding = _first_pdf_finding(desk)
    assert doc["name"] in listing.text
    page = client.get(f"/doc/{doc['id']}/page/{finding.page}")
    assert page.status_code == 200 and f'data-finding="{finding.id}"' in page.text
    assert "class=\"box pending" in page.text  # the proposed box drawn over the page
    image = client.get(f"/doc/{doc['id']}/page/{finding.page}.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_a_decision_needs_the_csrf_token_and_this_origin(desk: Desk, entered: TestClient) -> None:
    client = entered
    _, finding = _first_pdf_finding(desk)
    url = f"/finding/{finding.id}"
    assert client.post(url, json={"action": "approve"}).status_code == 403
    elsewhere = {"X-CSRF-Token": desk.csrf, "Origin": "http://elsewhere.example"}
    assert client.post(url, json={"action": "approve"}, headers=elsewhere).status_code == 403
    assert client.post(url, json={"action": "shred"}, headers={"X-CSRF-Token": desk.csrf}).status_code == 400
    assert _stored(desk, finding.id)[0].status == "pending"


def test_a_decision_at_the_desk_is_recorded_with_the_reviewer(desk: Desk, entered: TestClient) -> None:
    client = entered
    _, finding = _first_pdf_finding(desk)
    response = client.post(f"/finding/{finding.id}", json={"action": "reject", "reason": "a chief officer"},
                           headers={"X-CSRF-Token": desk.csrf, "Origin": "http://testserver"})
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    stored, _ = _stored(desk, finding.id)
    assert stored.status == "rejected" and stored.reviewer == "Tamsin Oakshott" and stored.reason == "a chief officer"
    response = client.post(f"/finding/{finding.id}", json={"action": "approve"}, headers={"X-CSRF-Token": desk.csrf})
    assert response.json()["status"] == "approved"
    assert [d["action"] for d in _stored(desk, finding.id)[1]] == ["reject", "approve"]


def test_serve_refuses_a_remote_host_without_the_flag(case: Path) -> None:
    from tests.test_cli import invoke

    code, _, err = invoke("serve", str(case), "--host", "0.0.0.0", "--no-browser")
    assert code == 2 and "--allow-remote" in err
