"""Turn decisions (a reviewer's, or the batch policy's) into a redaction plan."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from redact.apply import Applied, Plan, StringTarget
from redact.models import Finding
from redact.normalise import identity, normalise
from redact.verify import Expectation

PENDING_MODES = ("keep", "redact", "policy")


def _target(plan: Plan, index: dict[tuple[str, str], StringTarget], text: str, etype: str,
            exemption: str) -> StringTarget:
    key = (normalise(text), exemption)
    if key not in index:
        index[key] = StringTarget(text=text, type=etype, exemption=exemption)
        plan.strings.append(index[key])
    return index[key]


def _keep(plan: Plan, kept: Iterable[tuple[str, str, int | None, int, int]]) -> None:
    """Mark the spans a reviewer (or the policy) keeps, so a string approved
    elsewhere does not cover them."""
    for text, etype, page, start, end in kept:
        key = identity(text, etype)
        for target in plan.strings:
            if identity(target.text, target.type) == key or normalise(target.text) == normalise(text):
                target.keep.setdefault(page, []).append((start, end))


def plan_from_findings(findings: Iterable[Finding], personal: str = "redact", public: str = "keep") -> Plan:
    """The batch policy: personal findings redacted, public ones kept."""
    plan = Plan()
    index: dict[tuple[str, str], StringTarget] = {}
    kept = []
    for f in findings:
        action = public if f.public else personal
        if action == "redact":
            _target(plan, index, f.text, f.type, f.exemption)
            plan.spans.setdefault(f.page, []).append((f.start, f.end, f.exemption))
        else:
            kept.append((f.text, f.type, f.page, f.start, f.end))
    _keep(plan, kept)
    return plan


def plan_from_rows(rows: Iterable[sqlite3.Row], manual: Iterable[sqlite3.Row], pending: str | None) -> Plan:
    """A case document's plan from its findings' latest decisions and the
    manual redactions. ``pending`` says what to do with undecided findings:
    keep them visible, redact them, or follow the proposal ('policy')."""
    plan = Plan()
    index: dict[tuple[str, str], StringTarget] = {}
    kept = []
    for row in rows:
        status = row["status"]
        redact = status == "approved"
        if status == "pending":
            redact = pending == "redact" or (pending == "policy" and row["proposed_action"] == "redact")
        if not redact:
            kept.append((row["text"], row["type"], row["page"], row["start"], row["end"]))
            continue
        exemption = row["decided_exemption"] or row["exemption"]
        text = row["decided_text"] or row["text"]
        _target(plan, index, text, row["type"], exemption)
        if not row["decided_text"]:
            plan.spans.setdefault(row["page"], []).append((row["start"], row["end"], exemption))
    for m in manual:
        if m["kind"] == "text":
            _target(plan, index, m["pattern"], "MANUAL", m["exemption"])
        elif m["kind"] == "regex":
            plan.regexes.append((m["pattern"], m["exemption"], m["page"]))
        elif m["kind"] == "area":
            x0, y0, x1, y1 = json.loads(m["rect"])
            plan.areas.append((m["page"], (x0, y0, x1, y1), m["exemption"]))
        elif m["kind"] == "page":
            plan.whole_pages[m["page"]] = m["exemption"]
    _keep(plan, kept)
    return plan


def expectations(applied: Applied) -> list[Expectation]:
    """What verification must prove gone."""
    return [Expectation(text=t, type=ty, pages=pages) for t, ty, pages in applied.strings_gone]
