"""Response letters from ``templates/*.docx`` (docxtpl).

Each kind of letter has fields it must use; a template that lacks one fails
when it is loaded, naming the field, before anything is written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate

from redact.case import CaseInfo, ExemptionUse
from redact.detect.rules import RuleSet
from redact.exceptions import ConfigError, PackError
from redact.pack.authority import Authority
from redact.pack.deadline import Deadline
from redact.pack.schedule import ScheduleRow

BASE = {"authority", "reference", "received_text", "today_text", "requester", "deadline_sentence", "signatory"}
COMPLAINT = {"review", "ico"}
REQUIRED: dict[str, set[str]] = {
    "acknowledgement": BASE | {"due_text", "questions"},
    "full_disclosure": BASE | COMPLAINT | {"questions", "documents"},
    "partial_disclosure": BASE | COMPLAINT | {"questions", "exemptions", "schedule", "schedule_total", "documents"},
    "refusal": BASE | COMPLAINT | {"questions", "exemptions"},
    "not_held": BASE | COMPLAINT | {"questions", "searches"},
    "ncnd": BASE | COMPLAINT | {"questions", "exemptions"},
    "s12": BASE | COMPLAINT | {"questions"},
    "internal_review": BASE | COMPLAINT,
}
OUTCOME_TEXT = {
    "disclosed": "information held and released.",
    "partly_disclosed": "information held; released with some information withheld (see the refusal notice).",
    "withheld": "information held and withheld (see the refusal notice).",
    "not_held": "information not held.",
    "ncnd": "we neither confirm nor deny that the information is held.",
    "s12": "the cost of compliance exceeds the appropriate limit (section 12).",
    "s14": "the request is vexatious or repeated (section 14).",
    "s21": "the information is reasonably accessible to you elsewhere (section 21).",
}
KIND_TEXT = {"absolute": "an absolute exemption (no public interest test applies)",
             "qualified": "a qualified exemption (subject to the public interest test)",
             "procedural": "a procedural provision"}


def long_date(d: date) -> str:
    """'19 December 2025'."""
    return f"{d.day} {d.strftime('%B %Y')}"


def load_template(templates_dir: Path, kind: str) -> DocxTemplate:
    """Open a letter template and check it uses every field its kind needs."""
    if kind not in REQUIRED:
        raise ConfigError(f"unknown letter kind {kind!r}; choose one of {', '.join(REQUIRED)}")
    path = templates_dir / f"{kind}.docx"
    if not path.is_file():
        raise ConfigError(f"letter template {path} is missing")
    try:
        template = DocxTemplate(path)
        used = template.get_undeclared_template_variables()
    except Exception as exc:  # docxtpl raises Jinja and zip errors
        raise ConfigError(f"letter template {path.name} cannot be read: {exc}") from exc
    missing = sorted(REQUIRED[kind] - set(used))
    if missing:
        raise ConfigError(f"letter template {path.name} does not use required field(s): {', '.join(missing)}")
    return DocxTemplate(path)


def choose_kind(info: CaseInfo, redacted: bool) -> str:
    """The letter the outcomes call for (case.yaml 'letter' overrides)."""
    if info.letter:
        return info.letter
    outcomes = {q.outcome for q in info.questions}
    if "ncnd" in outcomes:
        return "ncnd"
    if "s12" in outcomes:
        return "s12"
    if outcomes and outcomes <= {"not_held"}:
        return "not_held"
    if outcomes and outcomes <= {"withheld", "s14", "s21"} and not redacted:
        return "refusal"
    if redacted or outcomes & {"partly_disclosed", "withheld"}:
        return "partial_disclosure"
    return "full_disclosure"


def exemptions_cited(info: CaseInfo, rules: RuleSet, schedule: list[ScheduleRow],
                     calendar_date: Any = long_date) -> list[dict[str, Any]]:
    """Every exemption relied on, in the questions and on the boxes, with its
    paragraphs (the case's own where given) and public interest test."""
    codes: list[str] = []
    overrides: dict[str, ExemptionUse] = {}
    for q in info.questions:
        for given in q.exemptions:
            overrides.setdefault(given.code, given)
            codes.append(given.code)
    codes += [row.exemption for row in schedule]
    out = []
    for code in dict.fromkeys(codes):
        entry = rules.exemption(code)
        if entry is None:
            raise PackError(f"exemption {code!r} is used but is not in the register (rules/exemptions.yaml)")
        use: ExemptionUse | None = overrides.get(code)
        item = {
            "code": entry.code, "citation": entry.citation, "title": entry.title, "kind": entry.kind,
            "kind_text": KIND_TEXT[entry.kind], "test": entry.test, "ncnd": entry.ncnd,
            "qualified": entry.kind == "qualified",
            "reason": (use.reason if use and use.reason else entry.reason),
            "public_interest_for": (use.public_interest_for if use and use.public_interest_for
                                    else entry.public_interest_for),
            "public_interest_against": (use.public_interest_against if use and use.public_interest_against
                                        else entry.public_interest_against),
            "balance": use.balance if use else None,
            "pi_pending": bool(use and use.pi_pending),
            "pi_decision_text": calendar_date(use.pi_decision_by) if use and use.pi_decision_by else "",
        }
        if item["qualified"] and not item["pi_pending"] and not item["balance"]:
            raise PackError(f"qualified exemption {entry.code} has no public interest balance: add 'balance' "
                            "to it under the question in case.yaml (or mark pi_pending with a decision date)")
        if item["qualified"] and not (item["public_interest_for"] and item["public_interest_against"]):
            raise PackError(f"qualified exemption {entry.code} needs factors for and against disclosure")
        out.append(item)
    return out


def build_context(info: CaseInfo, authority: Authority, deadline: Deadline, exemptions: list[dict[str, Any]],
                  schedule: list[ScheduleRow], documents: list[str], today: date) -> dict[str, Any]:
    """Everything a template may use."""
    due = long_date(deadline.due)
    sentence = f"We must reply by {due}, 20 working days after we received it."
    if deadline.clock_start != deadline.received:
        sentence = f"Your clarification arrived on {long_date(deadline.clock_start)}; we must reply by {due}."
    if deadline.pi_due:
        sentence += (f" We need more time to consider the public interest and expect to give our decision by "
                     f"{long_date(deadline.pi_due)}.")
    return {
        "authority": authority.model_dump() | {"address": authority.address},
        "ico": {"name": authority.ico.name, "address_text": authority.ico.address_text, "url": authority.ico.url,
                "phone": authority.ico.phone},
        "review": {"contact": authority.internal_review.contact, "within": authority.internal_review.within,
                   "received_text": long_date(info.review.received) if info.review else "",
                   "outcome": info.review.outcome if info.review else ""},
        "reference": info.reference, "received_text": long_date(info.received), "due_text": due,
        "today_text": long_date(today), "deadline_sentence": sentence,
        "requester": info.requester.model_dump(), "signatory": info.signatory.model_dump(),
        "questions": [
            {"number": i, "text": q.text, "outcome": q.outcome, "outcome_text": OUTCOME_TEXT[q.outcome],
             "answer": q.answer, "advice": q.advice or "", "where": q.where or ""}
            for i, q in enumerate(info.questions, start=1)
        ],
        "searches": [s for q in info.questions for s in q.searches],
        "exemptions": exemptions,
        "schedule": [{"document": r.document, "page": r.page + (" (whole page)" if r.whole_page else ""),
                      "exemption": r.exemption, "count": r.count} for r in schedule],
        "schedule_total": sum(r.count for r in schedule),
        "documents": documents,
    }


def render_letter(template: DocxTemplate, context: dict[str, Any], path: Path) -> None:
    """Render and save the letter."""
    template.render(context, autoescape=True)
    template.save(path)
