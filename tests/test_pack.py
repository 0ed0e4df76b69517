"""Deadlines, letters, the redaction schedule and the disclosure pack."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from redact.case import CaseInfo
from redact.config import DEFAULT_TEMPLATES_DIR
from redact.exceptions import ConfigError, ExitCode
from redact.pack.authority import load_authority
from redact.pack.bundle import docx_text, manifest_matches
from redact.pack.deadline import Calendar, request_deadline, review_deadline
from redact.pack.letter import REQUIRED, build_context, exemptions_cited, load_template, render_letter
from redact.pack.schedule import ScheduleRow
from redact.sample import write_sample_case_inputs, write_sample_request
from tests.test_cli import invoke

CAL = Calendar()


@pytest.mark.parametrize(
    ("received", "day20", "day40"),
    [
        (date(2025, 12, 19), date(2026, 1, 22), date(2026, 2, 19)),  # Christmas and New Year
        (date(2025, 12, 20), date(2026, 1, 22), date(2026, 2, 19)),  # a Saturday is still day 0
        (date(2025, 7, 11), date(2025, 8, 12), None),  # NI's 14 July holiday stops the clock
        (date(2025, 3, 14), date(2025, 4, 14), None),
        (date(2025, 4, 16), date(2025, 5, 19), None),  # Easter and the May bank holiday
    ],
)
def test_statutory_vectors(received: date, day20: date, day40: date | None) -> None:
    d = request_deadline(CAL, received, pi_extension=20 if day40 else None)
    assert d.due == day20
    assert d.pi_due == day40


def test_union_calendar_and_extra_days() -> None:
    for day in [date(2025, 12, 1), date(2025, 1, 2), date(2025, 7, 14), date(2025, 4, 18), date(2025, 4, 21)]:
        assert not CAL.is_working_day(day), day  # Scotland-only, NI-only and England-and-Wales days all count
    assert CAL.is_working_day(date(2025, 12, 2))
    proclaimed = Calendar([date(2025, 12, 2)])
    assert not proclaimed.is_working_day(date(2025, 12, 2))


def test_clarification_restarts_and_fee_days_stop_the_clock() -> None:
    assert request_deadline(CAL, date(2025, 12, 19), clarified=date(2026, 1, 5)).due == date(2026, 2, 2)
    fee = request_deadline(CAL, date(2025, 3, 14), fee_notice=date(2025, 3, 17), fee_paid=date(2025, 3, 19))
    # 17 March is St Patrick's Day (NI): only 18 and 19 March are working days left out
    assert fee.fee_days == 2 and fee.due == date(2025, 4, 16)
    with pytest.raises(ValueError):
        request_deadline(CAL, date(2025, 3, 14), fee_notice=date(2025, 3, 17))


def test_long_public_interest_extension_is_flagged() -> None:
    d = request_deadline(CAL, date(2025, 12, 19), pi_extension=30)
    assert any("exceeds" in n for n in d.notes)
    assert review_deadline(CAL, date(2026, 1, 5))[0] == date(2026, 2, 2)


def test_deadline_command() -> None:
    code, out, _ = invoke("deadline", "--received", "2025-12-19")
    assert code == 0 and "2026-01-22" in out
    code, out, _ = invoke("deadline", "--received", "2025-12-19", "--pi-extension", "20", "--json")
    data = json.loads(out)
    assert data["due"] == "2026-01-22" and data["pi_due"] == "2026-02-19"
    assert invoke("deadline", "--received", "2025-07-11")[1].strip().endswith("2025-08-12")
    assert invoke("deadline")[0] == ExitCode.usage


def _case(outcome: str, codes: list[str], balance: str | None = "Withholding is in the public interest.") -> CaseInfo:
    return CaseInfo.model_validate({
        "reference": "FOI-2025-0999", "received": "2025-12-19", "created_at": "x",
        "requester": {"name": "Ambrose Requester", "email": "a.requester@example.com"},
        "questions": [{"text": "Copies of the procedure.", "outcome": outcome, "searches": ["Policy library"],
                       "advice": "Narrow the request to one year.",
                       "exemptions": [{"code": c, "balance": balance} for c in codes]}],
        "review": {"received": "2026-02-02", "outcome": "The original response is upheld."},
    })


@pytest.mark.parametrize(
    ("kind", "outcome", "codes"),
    [
        ("acknowledgement", "disclosed", []),
        ("full_disclosure", "disclosed", []),
        ("partial_disclosure", "partly_disclosed", ["s40(2)", "s31(1)(a)"]),
        ("refusal", "withheld", ["s31(1)(a)", "s30(1)"]),
        ("not_held", "not_held", []),
        ("ncnd", "ncnd", ["s23(1)"]),
        ("s12", "s12", []),
        ("internal_review", "withheld", []),
    ],
)
def test_every_template_renders_what_the_act_requires(tmp_path: Path, rules, kind: str, outcome: str,
                                                      codes: list[str]) -> None:
    info = _case(outcome, codes)
    authority = load_authority(DEFAULT_TEMPLATES_DIR / "authority.yaml")
    schedule = [ScheduleRow("policy.pdf", "2", c, 3) for c in codes]
    exemptions = exemptions_cited(info, rules, schedule)
    deadline = request_deadline(CAL, info.received)
    context = build_context(info, authority, deadline, exemptions, schedule, ["policy.pdf"], date(2026, 1, 8))
    out = tmp_path / f"{kind}.docx"
    render_letter(load_template(DEFAULT_TEMPLATES_DIR, kind), context, out)
    text = docx_text(out)
    assert "FOI-2025-0999" in text and "Ambrose Requester" in text and "{{" not in text and "{%" not in text
    if kind != "internal_review":
        assert "19 December 2025" in text and "22 January 2026" in text
    if kind in ("partial_disclosure", "refusal", "ncnd"):
        assert "section 17" in text
        for c in codes:
            assert rules.exemption(c).citation in text  # section with its subsection (s17(1)(b))
        for e in exemptions:
            if e["qualified"]:
                assert "Factors favouring disclosure" in text and e["balance"] in text
    if kind == "partial_disclosure":
        assert "Total redactions: 6" in text and "policy.pdf" in text
    if kind != "acknowledgement":
        assert "Information Commissioner" in text and "section 50" in text and "Wycliffe House" in text
    if kind not in ("acknowledgement", "internal_review"):
        assert "internal review" in text
    if kind == "not_held":
        assert "Policy library" in text
    if kind == "s12":
        assert "Narrow the request to one year." in text and "Regulations 2004" in text
    if kind == "ncnd":
        assert "neither confirm nor deny" in text


def test_template_missing_a_required_field_fails_at_load(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Dear {{ requester.name }}, about {{ reference }}.")
    doc.save(tmp_path / "refusal.docx")
    with pytest.raises(ConfigError, match="does not use required field"):
        load_template(tmp_path, "refusal")
    assert set(REQUIRED) == {p.stem for p in DEFAULT_TEMPLATES_DIR.glob("*.docx")}


def test_qualified_exemption_needs_a_balance(rules) -> None:
    from redact.exceptions import PackError

    with pytest.raises(PackError, match="no public interest balance"):
        exemptions_cited(_case("withheld", ["s31(1)(a)"], balance=None), rules, [])
    assert exemptions_cited(_case("withheld", ["s40(2)"], balance=None), rules, [])  # absolute: no test


@pytest.fixture
def decided_case(tmp_path: Path) -> Path:
    inputs = write_sample_case_inputs(tmp_path / "inputs")
    request = write_sample_request(tmp_path / "request.yaml")
    case_dir = tmp_path / "case"
    assert invoke("init", str(case_dir), "--reference", "FOI-2025-0142", "--received", "2025-12-19",
                  "--request", str(request))[0] == 0
    assert invoke("add", str(case_dir), *map(str, inputs))[0] == 0
    assert invoke("scan", str(case_dir))[0] == 0
    assert invoke("approve", str(case_dir), "--all-pending", "--personal", "--reviewer", "alice")[0] == 0
    assert invoke("reject", str(case_dir), "--all-pending", "--public", "--reviewer", "bob")[0] == 0
    assert invoke("mark", str(case_dir), "--page", "2", "-d", "information-sharing-procedure.pdf",
                  "--exemption", "s31(1)(a)", "--reviewer", "alice")[0] == 0
    assert invoke("apply", str(case_dir))[0] == 0
    return case_dir


def test_pack_is_complete_and_consistent(decided_case: Path) -> None:
    code, out, err = invoke("pack", str(decided_case), "--today", "2026-01-08", "--json")
    assert code == 0, err
    result = json.loads(out)
    folder = Path(result["folder"])
    assert Path(result["zip"]).is_file() and result["letter"] == "partial_disclosure"
    assert manifest_matches(folder) == []
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {r["reviewer"] for r in manifest["reviewers"]} == {"alice", "bob"}
    assert manifest["deadline"]["due"] == "2026-01-22" and manifest["rules_digest"]
    letter = docx_text(next(folder.glob("letter-*.docx")))
    for needed in ["FOI-2025-0142", "19 December 2025", "22 January 2026", "Section 40(2)", "Section 31(1)(a)",
                   "internal review", "section 50"]:
        assert needed in letter, needed
    # the schedule counts equal the boxes actually applied
    rows = (folder / "redaction-schedule.csv").read_text().splitlines()[1:]
    scheduled = sum(int(r.split(",")[3]) for r in rows)
    applied = sum(json.loads(p.read_text())["boxes"] for p in (folder / "verification").glob("*.verify.json"))
    assert scheduled == applied > 0
    assert any(",s31(1)(a),1,True" in r for r in rows)  # the whole page withheld
    assert sorted(p.name for p in (folder / "documents").iterdir()) == sorted(
        p.name for p in (decided_case / "out").iterdir() if p.is_file() and not p.name.endswith(".zip"))


def test_no_pack_while_a_finding_is_pending(tmp_path: Path) -> None:
    inputs = write_sample_case_inputs(tmp_path / "inputs")
    case_dir = tmp_path / "case"
    invoke("init", str(case_dir), "--reference", "R1", "--received", "2025-12-19",
           "--request", str(write_sample_request(tmp_path / "request.yaml")))
    invoke("add", str(case_dir), str(inputs[0]))
    invoke("scan", str(case_dir))
    code, _, err = invoke("pack", str(case_dir))
    assert code == ExitCode.pack_refused and "pending" in err
    assert not list((case_dir / "out").glob("pack-*"))


def _no_balance(question: dict[str, Any]) -> None:
    question["exemptions"][1].pop("balance")


def _names_redacted_person(question: dict[str, Any]) -> None:
    question["answer"] = "Callum Ferriby wrote the procedure."


@pytest.mark.parametrize(("edit", "reason"), [(_no_balance, "balance"), (_names_redacted_person, "Callum Ferriby")])
def test_no_pack_when_case_yaml_is_unsafe(decided_case: Path, edit: Callable[[dict[str, Any]], None],
                                          reason: str) -> None:
    """A qualified exemption without its balance, or a letter naming a person redacted elsewhere."""
    path = decided_case / "case.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data["questions"][0])
    path.write_text(yaml.safe_dump(data))
    code, _, err = invoke("pack", str(decided_case))
    assert code == ExitCode.pack_refused and reason in err
    assert not list((decided_case / "out").glob("pack-*"))


def test_no_pack_when_a_released_file_name_holds_personal_data(decided_case: Path) -> None:
    out = decided_case / "out"
    shutil.copy(out / "acknowledgement-letter.pdf", decided_case / "reports" / "notes-Callum-Ferriby.txt")
    code, _, err = invoke("pack", str(decided_case))
    assert code == ExitCode.pack_refused and "file names" in err


def test_status_shows_the_deadline(decided_case: Path) -> None:
    code, out, _ = invoke("status", str(decided_case), "--json")
    data = json.loads(out)
    assert data["deadline"]["due"] == "2026-01-22" and isinstance(data["deadline"]["working_days_left"], int)


def test_no_pack_when_an_output_failed_verification(decided_case: Path) -> None:
    from redact.case import open_case

    case = open_case(decided_case)
    doc = case.store.documents()[0]
    case.store.record_output(doc["id"], f"out/{doc['name']}", "0" * 64, False, {}, "digest", "test")
    case.close()
    code, _, err = invoke("pack", str(decided_case))
    assert code == ExitCode.pack_refused and "failed verification" in err


@pytest.mark.parametrize(("outcome", "code"), [("s14", "s14(1)"), ("s21", "s21")])
def test_procedural_and_s21_refusals_get_a_refusal_notice(tmp_path: Path, rules, outcome: str, code: str) -> None:
    from redact.pack.letter import choose_kind

    info = _case(outcome, [code])
    info.questions[0].where = "Published on the force website."
    assert choose_kind(info, redacted=False) == "refusal"
    authority = load_authority(DEFAULT_TEMPLATES_DIR / "authority.yaml")
    exemptions = exemptions_cited(info, rules, [])
    context = build_context(info, authority, request_deadline(CAL, info.received), exemptions, [], [], date(2026, 1, 8))
    out = tmp_path / "letter.docx"
    render_letter(load_template(DEFAULT_TEMPLATES_DIR, "refusal"), context, out)
    text = docx_text(out)
    assert rules.exemption(code).citation in text and "section 17" in text
    if outcome == "s21":
        assert "Published on the force website." in text


@pytest.mark.parametrize(
    "change",
    [
        # a kept public finding approved after apply
        lambda case_dir, f: invoke("approve", str(case_dir), str(f["id"]), "--reviewer", "carol"),
        # a manual mark after apply
        lambda case_dir, f: invoke("mark", str(case_dir), "--text", "Information Sharing", "-d", f["document"],
                                   "--exemption", "s40(2)", "--reviewer", "carol"),
    ],
)
def test_outputs_follow_decisions(decided_case: Path, change: Callable[[Path, dict[str, Any]], Any]) -> None:
    rows = json.loads(invoke("review", str(decided_case), "--json", "--status", "rejected")[1])
    target = next(r for r in rows if r["document"] == "information-sharing-procedure.pdf")
    change(decided_case, target)
    code, out, _ = invoke("status", str(decided_case), "--json")
    stale = {d["name"] for d in json.loads(out)["documents"] if d["stale"]}
    assert stale == {"information-sharing-procedure.pdf"}
    code, _, err = invoke("pack", str(decided_case))
    assert code == ExitCode.pack_refused and "information-sharing-procedure.pdf" in err and "predate" in err
    # apply redoes only the stale document, and the pack is then built
    code, out, err = invoke("apply", str(decided_case), "--json")
    assert code == 0, err
    redone = {d["document"] for d in json.loads(out) if not d.get("unchanged")}
    assert redone == {"information-sharing-procedure.pdf"}
    assert invoke("pack", str(decided_case), "--today", "2026-01-08")[0] == 0


def test_apply_without_changes_redoes_nothing(decided_case: Path) -> None:
    code, out, _ = invoke("apply", str(decided_case), "--json")
    assert code == 0 and all(d.get("unchanged") and d["verified"] for d in json.loads(out))
    code, out, _ = invoke("apply", str(decided_case), "--all", "--json")
    assert code == 0 and not any(d.get("unchanged") for d in json.loads(out))
