"""The CLI in process (CliRunner): the case flow, review round-trip, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from redact.cli import cli
from redact.exceptions import ExitCode
from redact.sample import SAMPLE_PERSONAL, SAMPLE_PUBLIC, write_sample_case_inputs
from tests.pdfs import NAME, encrypted_pdf, image_only_pdf, many_pages_pdf, text_pdf


def invoke(*args: str) -> tuple[int, str, str]:
    """Through main(), so the error boundary and exit codes are exercised."""
    from redact.cli import main

    runner = CliRunner()
    with runner.isolation() as streams:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    return code, out, err


def findings(case_dir: Path, *filters: str) -> list[dict]:
    code, out, _ = invoke("review", str(case_dir), "--json", *filters)
    assert code == 0
    return json.loads(out)


def test_full_case_flow(case: Path) -> None:
    rows = findings(case)
    texts = {r["text"] for r in rows}
    for item in ["Callum Ferriby", "01632 960412", "Rosalind Achterberg", "t.okonkwo-barrett@example.com"]:
        assert item in texts
    assert all(r["status"] == "pending" for r in rows)

    code, _, err = invoke("apply", str(case))
    assert code == ExitCode.pending and "pending" in err
    assert not list((case / "out").iterdir())

    assert invoke("approve", str(case), "--all-pending", "--personal", "--reviewer", "alice", "--reason", "s40")[0] == 0
    assert invoke("reject", str(case), "--all-pending", "--public", "--reviewer", "alice")[0] == 0
    code, out, err = invoke("apply", str(case), "--json")
    assert code == 0, err
    docs = json.loads(out)
    assert all(d["verified"] for d in docs)
    released = {p.name for p in (case / "out").iterdir()}
    assert released == {"information-sharing-procedure.pdf", "acknowledgement-letter.pdf", "request-email.eml"}

    import pymupdf

    text = "".join(p.get_text() for p in pymupdf.open(case / "out" / "information-sharing-procedure.pdf"))
    text += "".join(p.get_text() for p in pymupdf.open(case / "out" / "acknowledgement-letter.pdf"))
    text += (case / "out" / "request-email.eml").read_text()
    for item in ["Callum Ferriby", "Ferriby", "01632 960412", "Rosalind Achterberg", "07700 900876"]:
        assert item not in text
    for item in ["Desmond Thorneycroft", "foi@westshire.police.example", "01632 960000"]:
        assert item in text
    assert (case / "reports" / "verification.txt").read_text().count("PASS") == 3
    assert invoke("verify", str(case))[0] == 0

    code, out, _ = invoke("status", str(case), "--json")
    status = json.loads(out)
    assert status["reference"] == "FOI-2025-0142"
    assert all(d["pending"] == 0 and d["verified"] for d in status["documents"])


def test_explain_names_the_policy_rule_and_its_setting(case: Path) -> None:
    switchboard = next(r for r in findings(case) if r["text"] == "01632 960000")
    code, out, _ = invoke("explain", str(case), str(switchboard["id"]))
    assert code == 0
    assert "rule:       team_word (set by s40.team_line_words in rules/s40.yaml)" in out
    direct = next(r for r in findings(case) if r["text"] == "01632 960412")
    assert "rule:       personal_beside" in invoke("explain", str(case), str(direct["id"]))[1]


def test_explain_dropped_says_why_a_span_was_not_proposed(tmp_path: Path) -> None:
    note = tmp_path / "minutes.txt"
    note.write_text("Minutes of Kingsmere Town Council\n\nThe Kingsmere Community Partnership met in Kingsmere "
                    "on Monday. Kingsmere was represented by Ottoline Brackenridge.\n", encoding="utf-8")
    case_dir = tmp_path / "case"
    assert invoke("init", str(case_dir), "--reference", "FOI-1", "--received", "2025-12-19")[0] == 0
    assert invoke("add", str(case_dir), str(note))[0] == 0
    assert invoke("scan", str(case_dir))[0] == 0
    code, out, _ = invoke("explain", str(case_dir), "--dropped", "--text", "kingsMERE", "--json")
    assert code == 0
    spans = json.loads(out)
    assert spans and {s["check"] for s in spans} == {"organisation_word"}
    assert all(s["document"] == "minutes.txt" and "Kingsmere" in s["text"] and s["reason"] for s in spans)
    code, out, _ = invoke("explain", str(case_dir), "--dropped")
    assert code == 0 and "organisation_word" in out
    assert json.loads(invoke("explain", str(case_dir), "--dropped", "--text", "Brackenridge", "--json")[1]) == []
    assert invoke("explain", str(case_dir))[0] == ExitCode.usage


def test_decisions_record_who_when_why(case: Path) -> None:
    target = next(r for r in findings(case) if r["text"] == "Callum Ferriby")
    assert invoke("reject", str(case), str(target["id"]), "--reviewer", "bob", "--reason", "my test reason")[0] == 0
    code, out, _ = invoke("explain", str(case), str(target["id"]), "--json")
    data = json.loads(out)
    assert data["status"] == "rejected"
    (decision,) = data["decisions"]
    assert decision["reviewer"] == "bob" and decision["reason"] == "my test reason" and decision["decided_at"]
    assert data["recogniser"] and data["policy_reason"]


def test_apply_with_pending_policy_and_rejected_left_visible(case: Path) -> None:
    target = next(r for r in findings(case) if r["text"] == "Rosalind Achterberg")
    assert invoke("reject", str(case), str(target["id"]), "--reviewer", "bob")[0] == 0
    code, _, err = invoke("apply", str(case), "--pending", "policy")
    assert code == 0, err
    import pymupdf

    text = pymupdf.open(case / "out" / "acknowledgement-letter.pdf")[0].get_text()
    assert "Achterberg" in text  # the rejected occurrence stays
    assert "960777" not in text


def test_review_csv_round_trip_and_conflicts(case: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    assert invoke("review", str(case), "--export", str(sheet))[0] == 0
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    assert rows and {"finding_id", "action", "decision_id"} <= set(rows[0])
    first, second = rows[0], rows[1]
    first["action"], second["action"] = "approve", "reject"
    # someone else decides the second finding after the export
    assert invoke("approve", str(case), second["finding_id"], "--reviewer", "carol")[0] == 0
    with sheet.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, _, err = invoke("review", str(case), "--import", str(sheet), "--reviewer", "dave")
    assert code == ExitCode.import_conflicts and "conflict" in err
    by_id = {r["id"]: r for r in findings(case)}
    assert by_id[int(first["finding_id"])]["status"] == "approved"
    assert by_id[int(second["finding_id"])]["status"] == "approved"  # carol's newer decision kept
    assert by_id[int(second["finding_id"])]["reviewer"] == "carol"


def test_invalid_import_changes_nothing(case: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    invoke("review", str(case), "--export", str(sheet))
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    rows[0]["action"] = "approve"
    rows[1]["action"] = "obliterate"
    with sheet.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, _, err = invoke("review", str(case), "--import", str(sheet))
    assert code == ExitCode.case_error and "obliterate" in err
    assert all(r["status"] == "pending" for r in findings(case))


def test_manual_redactions(case: Path) -> None:
    assert invoke("mark", str(case), "--text", "Information Governance Team", "--exemption", "s31(1)(a)",
                  "--reviewer", "erin")[0] == 0
    assert invoke("mark", str(case), "--page", "2", "-d", "information-sharing-procedure.pdf",
                  "--exemption", "s31(1)(a)")[0] == 0
    area = ["--area", "1", "72", "700", "200", "720"]
    assert invoke("mark", str(case), *area, "-d", "acknowledgement-letter.pdf")[0] == 0
    assert invoke("mark", str(case), "--regex", r"FOI-\d{4}-\d{4}")[0] == 0
    assert invoke("apply", str(case), "--pending", "policy")[0] == 0
    import pymupdf

    doc = pymupdf.open(case / "out" / "information-sharing-procedure.pdf")
    assert "Information Governance Team" not in doc[0].get_text()
    assert doc[1].get_text().strip() in ("", "s31(1)(a)")
    assert "FOI-2025-0142" not in pymupdf.open(case / "out" / "acknowledgement-letter.pdf")[0].get_text()


def test_json_output_is_only_json(case: Path) -> None:
    code, out, _ = invoke("status", str(case), "--json")
    json.loads(out)
    code, out, _ = invoke("review", str(case), "--json", "--type", "PHONE")
    assert {r["type"] for r in json.loads(out)} == {"PHONE"}


def test_scan_jsonl_contract(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "memo.pdf", [f"Officer {NAME} rang 01632 960545.", "Call 101 to report."])
    code, out, _ = invoke("scan", str(pdf), "--format", "jsonl")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines
    for line in lines:
        assert set(line) >= {"file", "doc", "page", "type", "text", "score", "public", "recogniser"}
        assert line["doc"] == "memo" and line["page"] == 1
    assert any(line["text"] == "101" and line["public"] for line in lines)


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda d: (d / "empty.pdf").write_bytes(b"") and d / "empty.pdf" or d / "empty.pdf", ExitCode.bad_input,
         "empty"),
        (lambda d: (d / "fake.pdf").write_text("hello, I am text") and d / "fake.pdf", ExitCode.bad_input,
         "not a PDF"),
        (lambda d: (d / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50) and d / "broken.pdf",
         ExitCode.bad_input, "corrupt"),
        (lambda d: encrypted_pdf(d / "locked.pdf"), ExitCode.encrypted, "password"),
        (lambda d: (d / "sheet.xlsx").write_bytes(b"PK\x03\x04") and d / "sheet.xlsx", ExitCode.bad_input,
         "unsupported"),
    ],
)
def test_bad_input_one_line_and_exit_code(tmp_path: Path, make, code: int, message: str) -> None:
    path = make(tmp_path)
    exit_code, out, err = invoke("scan", str(path), "--format", "jsonl")
    assert exit_code == code
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_wrong_and_right_password(tmp_path: Path) -> None:
    locked = encrypted_pdf(tmp_path / "locked.pdf")
    assert invoke("scan", str(locked), "--password", "nope")[0] == ExitCode.encrypted
    code, out, _ = invoke("scan", str(locked), "--password", "s3cret", "--format", "jsonl")
    assert code == 0 and "Vandersloot" in out


def test_image_only_pdf_is_reported(tmp_path: Path) -> None:
    image_only_pdf(tmp_path / "scan.pdf")
    case_dir = tmp_path / "case"
    invoke("init", str(case_dir), "--reference", "R1", "--received", "2025-01-06")
    invoke("add", str(case_dir), str(tmp_path / "scan.pdf"))
    code, out, _ = invoke("scan", str(case_dir), "--json")
    assert code == 0
    assert "without a text layer" in json.loads(out)[0]["notes"][0]


def test_too_many_pages(tmp_path: Path) -> None:
    pdf = many_pages_pdf(tmp_path / "long.pdf", 30)
    cfg = tmp_path / "config.yaml"
    cfg.write_text("max_pages: 10\n")
    code, _, err = invoke("--config", str(cfg), "scan", str(pdf))
    assert code == ExitCode.too_large and "max_pages" in err


def test_bad_config_and_rules(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("score_threshold: 7\n")
    assert invoke("--config", str(cfg), "scan", str(tmp_path))[0] == ExitCode.bad_config
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "x.yaml").write_text("allow: [{pattern: '('}]\n")
    code, _, err = invoke("--rules", str(tmp_path / "rules"), "scan", str(tmp_path))
    assert code == ExitCode.bad_config and "invalid regex" in err


def test_case_errors(tmp_path: Path) -> None:
    code, _, err = invoke("status", str(tmp_path))
    assert code == ExitCode.case_error and "not a case" in err
    assert invoke("init", str(tmp_path / "c"), "--reference", "R", "--received", "2025-01-06")[0] == 0
    assert invoke("init", str(tmp_path / "c"), "--reference", "R", "--received", "2025-01-06")[0] == ExitCode.case_error
    assert invoke("init", str(tmp_path / "d"), "--reference", "R", "--received", "06/01/2025")[0] == ExitCode.usage
    assert invoke("approve", str(tmp_path / "c"))[0] == ExitCode.usage
    assert invoke("explain", str(tmp_path / "c"), "99")[0] == ExitCode.case_error


def test_originals_are_read_only_copies(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "memo.pdf", [f"Officer {NAME}."])
    case_dir = tmp_path / "case"
    invoke("init", str(case_dir), "--reference", "R", "--received", "2025-01-06")
    invoke("add", str(case_dir), str(pdf))
    code, out, _ = invoke("add", str(case_dir), str(pdf), "--json")
    assert json.loads(out)[0]["duplicate"] is True
    copy = case_dir / "originals" / "memo.pdf"
    assert copy.read_bytes() == pdf.read_bytes()
    assert not copy.stat().st_mode & 0o222


def test_every_command_has_help_with_example_and_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, command in cli.commands.items():
        assert command.help and "xample" in command.help, name
        assert f"redact {name}" in readme, name


def test_sample_data_is_invented() -> None:
    from redact import sample

    text = " ".join(sum(sample.POLICY_PAGES, [])) + " ".join(sample.LETTER_LINES) + sample.EMAIL_TEXT
    for number in [s for s in SAMPLE_PERSONAL + SAMPLE_PUBLIC if s[:1].isdigit()]:
        assert number.startswith(("01632 960", "07700 900"))
    import re

    domains = re.findall(r"[\w.+-]+@([\w.-]+)", text)
    assert domains and all(d.rstrip(".").endswith((".example", "example.com", "example.org")) for d in domains)


def test_verify_case_fails_when_a_released_output_is_missing(case: Path) -> None:
    invoke("approve", str(case), "--all-pending", "--personal")
    invoke("reject", str(case), "--all-pending", "--public")
    assert invoke("apply", str(case))[0] == 0
    (case / "out" / "acknowledgement-letter.pdf").unlink()
    code, out, err = invoke("verify", str(case))
    assert code == ExitCode.verify_failed
    assert "no released output" in out


def test_exemption_codes_are_checked_against_the_register(case: Path) -> None:
    target = findings(case)[0]
    code, _, err = invoke("edit", str(case), str(target["id"]), "--exemption", "s99(9)")
    assert code == ExitCode.usage and "not in the register" in err
    code, _, err = invoke("mark", str(case), "--text", "Information Sharing", "--exemption", "s4O(2)")
    assert code == ExitCode.usage and "s40(2)" in err  # the message lists the codes it knows
    assert invoke("edit", str(case), str(target["id"]), "--exemption", "s31(1)(a)")[0] == 0


def test_apply_without_the_password_says_so_and_clears_old_scratch(tmp_path: Path) -> None:
    case_dir = tmp_path / "case"
    assert invoke("init", str(case_dir), "--reference", "R1", "--received", "2025-12-19")[0] == 0
    assert invoke("add", str(case_dir), str(encrypted_pdf(tmp_path / "locked.pdf")))[0] == 0
    assert invoke("scan", str(case_dir), "--password", "s3cret")[0] == 0
    leftover = case_dir / ".work" / "0123abcd.pdf"  # what a killed apply leaves
    leftover.write_bytes(b"%PDF-partial")
    code, _, err = invoke("apply", str(case_dir), "--pending", "redact")
    assert code == ExitCode.encrypted and "password" in err
    assert not leftover.exists()
    assert invoke("apply", str(case_dir), "--pending", "redact", "--password", "s3cret")[0] == 0


def test_an_empty_review_says_so(case: Path) -> None:
    code, out, err = invoke("review", str(case), "--text", "no such words anywhere")
    assert code == 0 and out.strip() == "" and "no findings match" in err


def test_page_and_area_marks_must_fall_on_the_document(case: Path) -> None:
    doc = "acknowledgement-letter.pdf"
    code, _, err = invoke("mark", str(case), "--page", "5", "-d", doc)
    assert code == ExitCode.usage and "no page 5" in err
    code, _, err = invoke("mark", str(case), "--area", "1", "900", "900", "950", "950", "-d", doc)
    assert code == ExitCode.usage and "outside page 1" in err
    code, _, err = invoke("mark", str(case), "--page", "1", "-d", "request-email.eml")
    assert code == ExitCode.usage and "use --text" in err
    assert invoke("mark", str(case), "--page", "1", "-d", doc)[0] == 0


def test_a_bad_document_never_sticks_a_case(tmp_path: Path) -> None:
    """add refuses what scan would refuse and adds the rest; a document can be
    taken out with a recorded reason; apply and pack then go on."""
    inputs = write_sample_case_inputs(tmp_path / "inputs")
    bad = tmp_path / "inputs" / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is not really a PDF")
    case_dir = tmp_path / "case"
    assert invoke("init", str(case_dir), "--reference", "R1", "--received", "2025-12-19")[0] == 0
    code, out, err = invoke("add", str(case_dir), *map(str, inputs), str(bad), "--json")
    assert code == ExitCode.bad_input and "broken.pdf" in err
    assert sum(1 for r in json.loads(out) if "document_id" in r) == len(inputs)
    assert invoke("scan", str(case_dir))[0] == 0
    assert invoke("approve", str(case_dir), "--all-pending", "--reviewer", "alice")[0] == 0
    assert invoke("apply", str(case_dir))[0] == 0
    code, _, _ = invoke("remove", str(case_dir), "request-email.eml", "--reason", "not in scope",
                        "--reviewer", "alice")
    assert code == 0 and not (case_dir / "out" / "request-email.eml").exists()
    status = json.loads(invoke("status", str(case_dir), "--json")[1])
    assert "request-email.eml" not in {d["name"] for d in status["documents"]}
    import sqlite3

    row = sqlite3.connect(case_dir / "review.db").execute(
        "SELECT removed_by, removed_reason FROM documents WHERE name = 'request-email.eml'").fetchone()
    assert row == ("alice", "not in scope")
    assert invoke("apply", str(case_dir))[0] == 0
    assert invoke("remove", str(case_dir), "nowhere.pdf", "--reason", "x")[0] == ExitCode.case_error


def test_scan_goes_on_past_a_bad_document(tmp_path: Path) -> None:
    inputs = write_sample_case_inputs(tmp_path / "inputs")
    case_dir = tmp_path / "case"
    assert invoke("init", str(case_dir), "--reference", "R1", "--received", "2025-12-19")[0] == 0
    assert invoke("add", str(case_dir), *map(str, inputs))[0] == 0
    original = case_dir / "originals" / inputs[0].name  # damaged after it was added
    original.chmod(0o644)
    original.write_bytes(b"%PDF-1.7 damaged")
    code, out, err = invoke("scan", str(case_dir), "--json")
    assert code == ExitCode.bad_input and inputs[0].name in err
    rows = json.loads(out)
    assert sum(1 for r in rows if "findings" in r) == len(inputs) - 1


def test_tables_piped_are_plain_rows_with_whole_names(case: Path) -> None:
    code, out, _ = invoke("review", str(case))
    lines = out.splitlines()
    assert code == 0 and lines[0].split("\t")[:3] == ["id", "document", "page/part"]
    assert any("Rosalind Achterberg" in line.split("\t") for line in lines[1:])
    assert not any(line.split("\t")[4].endswith("…") for line in lines[1:])  # the text column is never cut


def test_status_names_a_repaired_pdf(tmp_path: Path) -> None:
    whole = text_pdf(tmp_path / "whole.pdf", [f"Statement taken by {NAME}.", "Second line."])
    data = whole.read_bytes()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[: int(len(data) * 0.8)])
    case_dir = tmp_path / "case"
    assert invoke("init", str(case_dir), "--reference", "R1", "--received", "2025-12-19")[0] == 0
    assert invoke("add", str(case_dir), str(damaged))[0] == 0
    assert invoke("scan", str(case_dir))[0] == 0
    (doc,) = json.loads(invoke("status", str(case_dir), "--json")[1])["documents"]
    assert doc["repaired"] is True
    assert invoke("approve", str(case_dir), "--all-pending")[0] == 0
    code, _, err = invoke("apply", str(case_dir))
    assert code == ExitCode.bad_input and "--accept-repaired" in err
    assert invoke("apply", str(case_dir), "--accept-repaired")[0] == 0
