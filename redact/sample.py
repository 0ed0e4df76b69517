"""A synthetic sample case: invented people, Ofcom drama-range numbers and
``example`` domains only. Used by ``make demo`` and the tests.

Nothing here is real: names are made up, phone numbers are in the ranges
Ofcom keeps for drama (01632 960xxx, 07700 900xxx), and every e-mail domain
is an ``example`` domain.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

FORCE = "Westshire Police"
POLICY_TITLE = "Information Sharing Procedure"

POLICY_PAGES = [
    [
        f"{FORCE} - {POLICY_TITLE}",
        "",
        "Document owner: Harriet Quennell, Information Governance Team",
        "Approved by: ACC Desmond Thorneycroft",
        "",
        "1. Purpose",
        "This procedure sets out how officers and staff share information with partner agencies. "
        "Queries about this procedure should be sent to DS Callum Ferriby on 01632 960412 or "
        "callum.ferriby@westshire.police.example.",
        "",
        "2. Scope",
        "The procedure applies to all officers, staff and volunteers. The Information Governance Team "
        "can be reached on the switchboard, 01632 960000, or at foi@westshire.police.example.",
    ],
    [
        "3. Responsibilities",
        "The Data Protection Officer, Mrs P Ostrowska, reviews each information sharing agreement. "
        "Sergeant Ferriby maintains the register of agreements and reports to Chief Constable "
        "Imelda Carraway each quarter.",
        "",
        "4. Contacts",
        "Records Manager: Mr JKL Pemberton-Hale, tel. (01632) 960 518, mobile 07700 900231",
        "Disclosure Unit: disclosure.unit@westshire.police.example",
        "",
        "In an emergency always call 999; for non-emergencies call 101.",
    ],
]

LETTER_LINES = [
    f"{FORCE}, Freedom of Information Unit",
    "",
    "Our reference: FOI-2025-0142",
    "",
    "Dear Mr Okonkwo-Barrett,",
    "",
    "Thank you for your request of 19 December 2025 about information sharing. Your request was "
    "handled by our disclosure officer Rosalind Achterberg who can be contacted on 01632 960777.",
    "",
    "Yours sincerely",
    "",
    "Rosalind Achterberg",
    "Disclosure Officer",
]

EMAIL_TEXT = """From: Tobias Okonkwo-Barrett <t.okonkwo-barrett@example.com>
To: foi@westshire.police.example
Subject: Request for information sharing procedure
Date: Fri, 19 Dec 2025 09:14:00 +0000

Dear Freedom of Information Team,

Please send me your current information sharing procedure. You can reach me on
07700 900876 if anything is unclear.

Kind regards

Tobias Okonkwo-Barrett
"""


def write_pdf(path: Path, pages: list[list[str]], *, author: str | None = None, fontsize: float = 11) -> Path:
    """Write a simple A4 text PDF, one list of paragraphs per page."""
    doc = pymupdf.open()
    for paragraphs in pages:
        page = doc.new_page(width=595, height=842)
        rect = pymupdf.Rect(72, 72, 523, 770)
        page.insert_textbox(rect, "\n".join(paragraphs), fontsize=fontsize, fontname="helv")
        page.insert_text((72, 810), f"{FORCE} | OFFICIAL | page {page.number + 1}", fontsize=8)
    if author:
        doc.set_metadata({"author": author, "title": POLICY_TITLE, "creator": "redact sample"})
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def write_sample_case_inputs(folder: Path) -> list[Path]:
    """Write the demo's documents into ``folder`` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    policy = write_pdf(folder / "information-sharing-procedure.pdf", POLICY_PAGES, author="Harriet Quennell")
    letter = write_pdf(folder / "acknowledgement-letter.pdf", [LETTER_LINES])
    email = folder / "request-email.eml"
    email.write_text(EMAIL_TEXT, encoding="utf-8")
    return [policy, letter, email]


# People in the sample who must be redacted, and who must stay (chief officers, team lines).
SAMPLE_PERSONAL = ["Harriet Quennell", "Callum Ferriby", "01632 960412", "callum.ferriby@westshire.police.example",
                   "Ostrowska", "Pemberton-Hale", "07700 900231", "Rosalind Achterberg", "Okonkwo-Barrett",
                   "07700 900876", "t.okonkwo-barrett@example.com"]
SAMPLE_PUBLIC = ["Desmond Thorneycroft", "Imelda Carraway", "01632 960000", "foi@westshire.police.example",
                 "disclosure.unit@westshire.police.example"]

SAMPLE_REQUEST = """\
# The sample request (invented requester).
requester:
  name: Tobias Okonkwo-Barrett
  email: t.okonkwo-barrett@example.com
questions:
  - text: Please send me your current information sharing procedure.
    outcome: partly_disclosed
    answer: The procedure is attached with some information withheld.
    exemptions:
      - code: s40(2)
      - code: s31(1)(a)
        balance: >-
          The procedure's purpose and principles are released in full, which meets
          most of the public interest in openness. The contact arrangements on page 2
          would show how partner agencies reach the force's specialist officers out of
          hours; the risk that offenders could exploit them outweighs the limited
          further public benefit of releasing them.
signatory:
  role: Disclosure Officer
"""


def write_sample_request(path: Path) -> Path:
    """The request details for the demo case (used with 'redact init --request')."""
    path.write_text(SAMPLE_REQUEST, encoding="utf-8")
    return path
