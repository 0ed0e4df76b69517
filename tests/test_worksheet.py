"""The review worksheet is an honest record: the importing reviewer, the
row's own reason, one transaction, idempotent re-runs, no formula cells,
and the encodings spreadsheets save in. Invented people only."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from redact.exceptions import ExitCode
from tests.test_cli import findings, invoke


def export(case_dir: Path, sheet: Path) -> list[dict[str, str]]:
    assert invoke("review", str(case_dir), "--export", str(sheet))[0] == 0
    return list(csv.DictReader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))


def write(sheet: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sheet.write_bytes(buffer.getvalue().encode(encoding))


def decisions(case_dir: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(case_dir / "review.db")
    conn.row_factory = sqlite3.Row
    return list(conn.execute("SELECT * FROM decisions ORDER BY id"))


def test_imported_decisions_are_the_importers_with_the_rows_reason(case: Path, tmp_path: Path) -> None:
    first = findings(case)[0]
    assert invoke("approve", str(case), str(first["id"]), "--reviewer", "bob", "--reason", "bob's call")[0] == 0
    sheet = tmp_path / "review.csv"
    rows = export(case, sheet)
    prefilled = next(r for r in rows if r["finding_id"] == str(first["id"]))
    assert prefilled["last_reviewer"] == "bob" and prefilled["last_reason"] == "bob's call"
    prefilled["action"], prefilled["reason"] = "reject", "a public officer"
    other = next(r for r in rows if r["finding_id"] != str(first["id"]))
    other["action"] = "approve"  # no reason given
    write(sheet, rows)
    code, _, err = invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")
    assert code == 0, err
    log = decisions(case)
    assert {(d["reviewer"], d["reason"]) for d in log[1:]} == {("alice", "a public officer"),
                                                               ("alice", "imported from worksheet")}
    assert log[0]["reviewer"] == "bob" and len(log) == 3  # bob's decision is context, not re-recorded


def test_a_rerun_of_the_same_worksheet_changes_nothing(case: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    rows = export(case, sheet)
    for row in rows[:3]:
        row["action"] = "approve"
    write(sheet, rows)
    assert invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")[0] == 0
    code, out, err = invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice", "--json")
    assert code == 0, err
    assert '"applied": 0' in out and '"already": 3' in out
    assert len(decisions(case)) == 3


def test_an_import_killed_midway_applies_nothing(case: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    rows = export(case, sheet)
    for row in rows[:4]:
        row["action"] = "approve"
    write(sheet, rows)
    # the third insert fails, as a crash would stop it there
    conn = sqlite3.connect(case / "review.db")
    conn.execute(f"CREATE TRIGGER crash BEFORE INSERT ON decisions WHEN NEW.finding_id = {rows[2]['finding_id']} "
                 "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END")
    conn.commit()
    code, _, _ = invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")
    assert code != 0
    assert decisions(case) == []
    conn.execute("DROP TRIGGER crash")
    conn.commit()
    assert invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")[0] == 0
    assert len(decisions(case)) == 4


def test_formula_cells_are_neutralised_and_round_trip(case: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    raw = export(case, sheet)
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for spreadsheets
    for row in raw:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    target = raw[0]
    target["action"], target["new_text"], target["reason"] = "edit", "'=HYPERLINK(\"x\")", "'-checked"
    write(sheet, raw)
    assert invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")[0] == 0
    (decision,) = decisions(case)
    assert decision["text"] == '=HYPERLINK("x")' and decision["reason"] == "-checked"


def test_worksheets_saved_in_other_encodings(case: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    rows = export(case, sheet)
    rows[0]["action"], rows[0]["reason"] = "approve", "vérifié par l'équipe"
    write(sheet, rows, "cp1252")
    assert invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")[0] == 0
    assert decisions(case)[-1]["reason"] == "vérifié par l'équipe"
    rows = export(case, sheet)
    rows[1]["action"], rows[1]["reason"] = "reject", "geprüft"
    write(sheet, rows, "utf-16")
    assert invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")[0] == 0
    assert decisions(case)[-1]["reason"] == "geprüft"
    sheet.write_bytes(sheet.read_bytes().decode("utf-16").encode("utf-8") + b"\n\x81\x8d,broken\n")
    code, _, err = invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")
    assert code == ExitCode.case_error and "line" in err and "CSV UTF-8" in err


def test_a_row_with_an_unbalanced_quote_is_refused_not_swallowed(case: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "review.csv"
    rows = export(case, sheet)
    rows[0]["action"] = "approve"
    write(sheet, rows)
    lines = sheet.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    lines[1] = lines[1].replace(",approve,", ',"approve,', 1)  # a quote opened and never closed
    sheet.write_text("".join(lines), encoding="utf-8")
    code, _, err = invoke("review", str(case), "--import", str(sheet), "--reviewer", "alice")
    assert code == ExitCode.case_error and "line" in err
    assert decisions(case) == []
