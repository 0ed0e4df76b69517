"""Write the starting letter templates into templates/*.docx (docxtpl/Jinja tags).

Forces edit the .docx files in Word; this script only makes the first versions
and can be re-run to restore them. Each letter shares the header, the
complaint rights and the sign-off; refusal letters add the refusal notice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "templates")


def para(doc, text: str, bold: bool = False, size: int | None = None) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def header(doc) -> None:
    para(doc, "{{ authority.name }}", bold=True, size=14)
    para(doc, "{%p for line in authority.address %}")
    para(doc, "{{ line }}")
    para(doc, "{%p endfor %}")
    para(doc, "Freedom of Information: {{ authority.foi_email }}{% if authority.foi_phone %}, "
              "telephone {{ authority.foi_phone }}{% endif %}")
    para(doc, "")
    para(doc, "Our reference: {{ reference }}")
    para(doc, "Date: {{ today_text }}")
    para(doc, "")
    para(doc, "{{ requester.name }}")
    para(doc, "{%p for line in requester.address %}")
    para(doc, "{{ line }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if requester.email %}")
    para(doc, "{{ requester.email }}")
    para(doc, "{%p endif %}")
    para(doc, "")
    para(doc, "Dear {{ requester.name }},")
    para(doc, "Freedom of Information Act 2000 – request {{ reference }}", bold=True)
    para(doc, "Thank you for your request for information, which we received on {{ received_text }}. "
              "{{ deadline_sentence }}")


def request_quoted(doc) -> None:
    para(doc, "Your request", bold=True)
    para(doc, "{%p for q in questions %}")
    para(doc, "{{ q.number }}. {{ q.text }}")
    para(doc, "Response: {{ q.outcome_text }}{% if q.answer %} {{ q.answer }}{% endif %}"
              "{% if q.where %} Where to find it: {{ q.where }}{% endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "We handle every request without regard to who has asked or why. Information released "
              "under the Act is released to the world, not only to you.")


def refusal_notice(doc) -> None:
    para(doc, "Refusal notice", bold=True)
    para(doc, "This letter is a refusal notice under section 17 of the Freedom of Information Act 2000. "
              "We rely on the following {% if exemptions|length > 1 %}exemptions{% else %}exemption{% endif %} "
              "to withhold information:")
    para(doc, "{%p for e in exemptions %}")
    para(doc, "{{ e.citation }}", bold=True)
    para(doc, "This exemption is {{ e.kind_text }}; its test is {{ e.test }}.")
    para(doc, "Why it applies: {{ e.reason }}")
    para(doc, "{%p if e.qualified %}")
    para(doc, "Public interest test", bold=True)
    para(doc, "Factors favouring disclosure: {{ e.public_interest_for }}")
    para(doc, "Factors favouring non-disclosure: {{ e.public_interest_against }}")
    para(doc, "Balance test: {{ e.balance }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if e.pi_pending %}")
    para(doc, "We have not yet reached a decision on where the balance of the public interest lies for "
              "this exemption (section 17(2)). We estimate that we will reach it by {{ e.pi_decision_text }}.")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")


def complaint_rights(doc) -> None:
    para(doc, "Your right to complain", bold=True)
    para(doc, "If you are unhappy with how we handled your request you may ask for an internal review. "
              "Please write to {{ review.contact }} within {{ review.within }} of the date of this letter, "
              "quoting {{ reference }}.")
    para(doc, "If you remain dissatisfied after the internal review, you have the right under section 50 of "
              "the Freedom of Information Act 2000 to apply to the Information Commissioner for a decision: "
              "{{ ico.name }}, {{ ico.address_text }}; {{ ico.url }}{% if ico.phone %}; telephone "
              "{{ ico.phone }}{% endif %}.")


def sign_off(doc) -> None:
    para(doc, "Yours sincerely,")
    para(doc, "")
    para(doc, "{{ signatory.role }}")
    para(doc, "{{ authority.name }}")


def schedule_annex(doc) -> None:
    para(doc, "Annex: redaction schedule", bold=True)
    para(doc, "Documents released: {{ documents|join(', ') }}.")
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Document", "Page", "Exemption", "Redactions"], strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for r in schedule %}"
    for cell, text in zip(table.rows[2].cells, ["{{ r.document }}", "{{ r.page }}", "{{ r.exemption }}",
                                                 "{{ r.count }}"], strict=True):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    para(doc, "Total redactions: {{ schedule_total }}.")


def letter(name: str, body) -> None:
    doc = Document()
    header(doc)
    body(doc)
    sign_off(doc)
    if name == "partial_disclosure":
        schedule_annex(doc)
    OUT.mkdir(parents=True, exist_ok=True)
    doc.core_properties.author = ""
    doc.core_properties.title = name
    doc.save(OUT / f"{name}.docx")


def acknowledgement(doc) -> None:
    request_quoted(doc)
    para(doc, "We will reply by {{ due_text }}, which is 20 working days after we received your request.")


def full_disclosure(doc) -> None:
    request_quoted(doc)
    para(doc, "We hold the information you asked for and it is released in full with this letter: "
              "{{ documents|join(', ') }}.")
    complaint_rights(doc)


def partial_disclosure(doc) -> None:
    request_quoted(doc)
    para(doc, "We hold the information you asked for. We release it with some information withheld; "
              "the redactions are marked with the exemption that applies and listed in the annex.")
    refusal_notice(doc)
    complaint_rights(doc)


def refusal(doc) -> None:
    request_quoted(doc)
    para(doc, "We hold the information you asked for but it is withheld in full for the reasons below.")
    refusal_notice(doc)
    complaint_rights(doc)


def not_held(doc) -> None:
    request_quoted(doc)
    para(doc, "We have searched for the information you asked for and it is not held by {{ authority.name }} "
              "(section 1(1)(a)). The searches made were:")
    para(doc, "{%p for s in searches %}")
    para(doc, "{{ s }}")
    para(doc, "{%p endfor %}")
    complaint_rights(doc)


def ncnd(doc) -> None:
    request_quoted(doc)
    para(doc, "We can neither confirm nor deny whether we hold the information you asked for. This "
              "response should not be taken as an indication that the information exists or does not exist.")
    refusal_notice(doc)
    complaint_rights(doc)


def s12(doc) -> None:
    request_quoted(doc)
    para(doc, "We estimate that complying with your request would exceed the appropriate limit of 18 hours "
              "(£450) set by the Freedom of Information and Data Protection (Appropriate Limit and Fees) "
              "Regulations 2004, so section 12(1) applies and this letter is a refusal notice under section "
              "17(5).")
    para(doc, "Advice and assistance (section 16): {% for q in questions %}{{ q.advice }} {% endfor %}")
    complaint_rights(doc)


def internal_review(doc) -> None:
    para(doc, "Outcome of the internal review", bold=True)
    para(doc, "You asked us on {{ review.received_text }} to review our response to request {{ reference }}. "
              "The review was carried out by a member of staff not involved in the original response.")
    para(doc, "Outcome: {{ review.outcome }}")
    para(doc, "If you remain dissatisfied, you have the right under section 50 of the Freedom of Information "
              "Act 2000 to apply to the Information Commissioner for a decision: {{ ico.name }}, "
              "{{ ico.address_text }}; {{ ico.url }}{% if ico.phone %}; telephone {{ ico.phone }}{% endif %}.")


LETTERS = {
    "acknowledgement": acknowledgement, "full_disclosure": full_disclosure,
    "partial_disclosure": partial_disclosure, "refusal": refusal, "not_held": not_held, "ncnd": ncnd,
    "s12": s12, "internal_review": internal_review,
}

if __name__ == "__main__":
    for name, body in LETTERS.items():
        letter(name, body)
    print(f"wrote {len(LETTERS)} templates to {OUT}")
