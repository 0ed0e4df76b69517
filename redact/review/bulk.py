"""Deciding many findings at once ("redact all like this"): the findings a
scope reaches from one selected finding, and a sentence that states the
scope before anything is recorded.

A bulk action reaches the pending findings of its scope and the selected
finding itself; a finding a reviewer has already decided is left as it is
(it is counted in the statement), so one keystroke never overturns
another person's considered decision."""

from __future__ import annotations

from dataclasses import dataclass

from redact.normalise import identity
from redact.store.db import FindingFilter, Store, StoredFinding

SCOPES = ("finding", "text", "recogniser", "page")
VERBS = {"approve": "redact", "reject": "keep visible", "edit": "redact as edited", "reopen": "reopen"}


@dataclass(frozen=True)
class Selection:
    """The findings a bulk action would decide and what it says about them."""

    findings: list[StoredFinding]
    statement: str
    left_alone: int


def select(store: Store, chosen: StoredFinding, scope: str, action: str) -> Selection:
    """The findings ``scope`` reaches from ``chosen``: itself; every finding
    of the same text and type in the case; every finding of its recogniser
    in the case; every finding on its page."""
    if scope == "finding":
        reach, where = [chosen], f"finding {chosen.id}"
    elif scope == "text":
        key = identity(chosen.text, chosen.type)
        reach = [f for f in store.findings(FindingFilter(type=chosen.type)) if identity(f.text, f.type) == key]
        where = f"every {chosen.type} '{chosen.shown_text}' in the case"
    elif scope == "recogniser":
        reach = store.findings(FindingFilter(recogniser=chosen.recogniser))
        where = f"every finding of the recogniser {chosen.recogniser} in the case"
    elif scope == "page":
        reach = store.findings(FindingFilter(document_id=chosen.document_id, page=chosen.page))
        where = f"every finding on {'page ' + str(chosen.page) if chosen.page else 'this part'} of {chosen.document}"
    else:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    chosen_ones = [f for f in reach if f.id == chosen.id or f.status == "pending"]
    left = len(reach) - len(chosen_ones)
    statement = f"{VERBS.get(action, action)} {len(chosen_ones)} finding(s): {where}"
    if left:
        statement += f"; {left} already decided left as they are"
    return Selection(chosen_ones, statement, left)
