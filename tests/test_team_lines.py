"""Team lines told from direct dials by what lies beyond one line: a number
printed on every page's header or footer, in a Word header, or in many
documents of one batch, case or folder. All numbers and people invented."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from redact.api import scan_case
from redact.batch import run_batch
from redact.case import add_file, init_case
from redact.config import Settings
from redact.detect.census import census, numbers_in_text
from redact.detect.policy import NumberContext
from redact.detect.rules import RuleSet
from redact.detect.scan import Scanner

from .pdfs import text_pdf
from .test_cli import invoke

FOOTER = "Westshire Constabulary, Headquarters, Anytown AN1 1AA. Tel 01632 960100"


def phones(findings: list) -> list[tuple[int | None, str, bool, str]]:
    return [(f.page, f.text, f.public, f.policy_reason) for f in findings if f.type == "PHONE"]


def pages_with_footer(footer: str, n: int = 3) -> list[tuple[int | None, str]]:
    return [(i, f"Policy section {i}\nThe review board meets monthly.\n{footer}\nPage {i} of {n}")
            for i in range(1, n + 1)]


def test_number_in_a_running_footer_is_the_authoritys(scanner: Scanner) -> None:
    found = phones(scanner.detect_texts(pages_with_footer(FOOTER)))
    assert len(found) == 3
    assert all(public and "letterhead or footer" in reason for _, _, public, reason in found)


@pytest.mark.parametrize(
    ("footer", "reason"),
    [
        ("Author: Ambrose Kettleworth, Tel 01632 960101", "on its line"),  # a person's footer
        ("Ambrose Kettleworth\nDisclosure Officer\nTel 01632 960104", "within two lines"),
        ("Westshire Constabulary, direct line 01632 960102", "direct line"),
        ("Westshire Constabulary, Tel 07700 900103", "mobile"),  # a mobile is never a switchboard by layout
    ],
)
def test_running_footer_with_a_person_stays_personal(scanner: Scanner, footer: str, reason: str) -> None:
    found = phones(scanner.detect_texts(pages_with_footer(footer)))
    assert found and all(not public and reason in why for _, _, public, why in found)


def test_footer_number_once_on_a_page_is_not_a_running_line(scanner: Scanner) -> None:
    pages = pages_with_footer("Westshire Constabulary") + [(4, f"Annex\n{FOOTER.replace('960100', '960199')}")]
    assert [p for p in phones(scanner.detect_texts(pages)) if not p[2]] == [
        (4, "01632 960199", False, "personal: direct line (default)")]


def test_a_footer_number_is_public_wherever_it_appears(scanner: Scanner) -> None:
    pages = pages_with_footer(FOOTER) + [(4, "Questions may be raised by telephone on 01632 960100.")]
    found = phones(scanner.detect_texts(pages))
    assert len(found) == 4 and all(public and "letterhead" in why for _, _, public, why in found)


def test_a_name_beside_one_copy_makes_every_copy_personal(scanner: Scanner) -> None:
    pages = pages_with_footer(FOOTER) + [(4, "Ambrose Kettleworth can be reached on 01632 960100.")]
    found = phones(scanner.detect_texts(pages))
    assert len(found) == 4 and not any(public for _, _, public, _ in found)


def test_a_team_word_does_not_outweigh_a_copy_without_context(scanner: Scanner) -> None:
    found = phones(scanner.detect_texts([(1, "Switchboard: 01632 960120"), (2, "Call 01632 960120 after six.")]))
    assert [public for _, _, public, _ in found] == [False, False]


def test_number_in_a_word_header_is_letterhead(tmp_path: Path, scanner: Scanner) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Westshire Constabulary · 01632 960130"
    document.add_paragraph("The board reviewed the policy.")
    document.add_paragraph("Questions: 01632 960131")
    path = tmp_path / "letter.docx"
    document.save(str(path))
    found = {f.text: (f.public, f.policy_reason) for f in scanner.scan_docx(path).findings if f.type == "PHONE"}
    assert found["01632 960130"][0] and "letterhead" in found["01632 960130"][1]
    assert found["01632 960131"] == (False, "personal: direct line (default)")


def test_letterhead_numbers_can_be_switched_off(settings: Settings, rules: RuleSet) -> None:
    off = rules.model_copy(deep=True)
    off.s40.letterhead_numbers = False
    found = phones(Scanner(settings, off).detect_texts(pages_with_footer(FOOTER)))
    assert found and not any(public for _, _, public, _ in found)


SHARED_LINE = "For queries about this policy call 01632 960200."


def write_letters(folder: Path, n: int, line: str = SHARED_LINE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"policy-{i}.txt"
        path.write_text(f"Policy {i}\n\nThe board approved the revised procedure.\n{line}\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_census_counts_documents_not_files(tmp_path: Path, settings: Settings) -> None:
    paths = write_letters(tmp_path, 2)
    twin = tmp_path / "policy-0.pdf"  # the same letter as PDF: one document
    text_pdf(twin, [SHARED_LINE])
    _, shared = census([*paths, twin], settings, 3)
    assert shared == {}
    third = tmp_path / "other.txt"
    third.write_text(f"Retention schedule\n\nRecords are kept for six years.\n{SHARED_LINE}\n", encoding="utf-8")
    per_file, shared = census([*paths, twin, third], settings, 3)
    assert shared == {"01632960200": 3}
    assert per_file[twin] == {"01632960200"}


def test_copies_of_one_note_count_once(tmp_path: Path, settings: Settings) -> None:
    """Byte-identical copies under other names, and the same text in another
    file, are one document: a resident's number in them stays personal."""
    note = tmp_path / "note.txt"
    note.write_text("Note of a call\n\nThe resident asked to be called back on 01632 960433.\n",
                    encoding="utf-8")
    copies = [note]
    for name in ("note (1).txt", "Copy of note.txt"):
        copies.append(tmp_path / name)
        copies[-1].write_bytes(note.read_bytes())
    resaved = tmp_path / "call-record.txt"  # the same words, re-saved with other line breaks
    resaved.write_text(" ".join(note.read_text().split()) + "\n", encoding="utf-8")
    per_file, shared = census([*copies, resaved], settings, 3)
    assert shared == {} and all(per_file[p] == {"01632960433"} for p in copies)
    code, out, _ = invoke("scan", *map(str, copies), "--format", "jsonl")
    phones = [json.loads(line) for line in out.splitlines() if json.loads(line)["type"] == "PHONE"]
    assert len(phones) == 3 and not any(p["public"] for p in phones)


def test_census_reads_uk_numbers_in_any_form() -> None:
    assert numbers_in_text("Tel +44 (0)1632 960201 or (01632) 960 202, ref 2024/0173") == {
        "01632960201", "01632960202"}


def test_number_shared_by_many_documents_is_a_team_line(scanner: Scanner) -> None:
    numbers = NumberContext(shared={"01632960200": 4}, scope="case")
    (found,) = phones(scanner.detect_texts([(None, SHARED_LINE)], numbers=numbers))
    assert found[2] and "4 documents of this case" in found[3]


@pytest.mark.parametrize(
    "text",
    [
        "Yours sincerely\nAmbrose Kettleworth\nDisclosure Officer\n01632 960200",  # a signature block
        "Please contact me on 01632 960200.",
        "Mobile 07700 900200",
    ],
)
def test_shared_number_beside_a_person_stays_personal(scanner: Scanner, text: str) -> None:
    numbers = NumberContext(shared={"01632960200": 4, "07700900200": 4})
    (found,) = phones(scanner.detect_texts([(None, text)], numbers=numbers))
    assert not found[2]


def test_folder_scan_counts_numbers_across_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from redact.cli import cli

    write_letters(tmp_path / "three", 3)
    write_letters(tmp_path / "two", 2)
    runner = CliRunner()
    for folder, public in (("three", True), ("two", False)):
        out = runner.invoke(cli, ["-q", "scan", str(tmp_path / folder), "--format", "jsonl"])
        assert out.exit_code == 0, out.output
        rows = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
        assert [r["public"] for r in rows if r["type"] == "PHONE"] == [public] * (3 if public else 2)


def test_case_scan_counts_numbers_across_the_case(tmp_path: Path, settings: Settings, rules: RuleSet) -> None:
    from datetime import date

    case = init_case(tmp_path / "case", "FOI-0001", date(2026, 11, 2))
    try:
        for path in write_letters(tmp_path / "in", 3):
            add_file(case, path, settings.max_file_mb)
        scan_case(case, settings, rules)
        rows = [r for r in case.store.findings() if r.type == "PHONE"]
        assert len(rows) == 3 and all(r.public for r in rows)
        assert all("3 documents of this case" in r.policy_reason for r in rows)
    finally:
        case.close()


def test_batch_releases_a_shared_team_line_and_redoes_files_when_the_count_changes(
        tmp_path: Path, settings: Settings) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    write_letters(src, 2)
    summary = run_batch(src, out, settings, workers=1)
    assert summary["ok"] == 2
    assert all("960200" not in p.read_text(encoding="utf-8") for p in out.glob("*.txt"))
    # a third letter with the same number: it is now a team line in all three
    (src / "policy-2.txt").write_text(f"Policy 2\n\n{SHARED_LINE}\n", encoding="utf-8")
    summary = run_batch(src, out, settings, workers=1)
    assert summary["ok"] == 3 and summary["unchanged"] == 0
    assert all("01632 960200" in p.read_text(encoding="utf-8") for p in out.glob("*.txt"))
    report = json.loads((out / "redact-reports" / "policy-0.txt.json").read_text(encoding="utf-8"))
    assert report["shared_numbers"] == ["01632960200"]
    assert summary["shared_numbers"] == {"01632960200": 3}
    # nothing changed: every file kept
    assert run_batch(src, out, settings, workers=1)["unchanged"] == 3
