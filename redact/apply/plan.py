"""Turn decisions (a reviewer's, or the batch policy's) into a redaction plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from redact.apply import Applied, Plan, StringTarget
from redact.models import Finding
from redact.normalise import identity, normalise
from redact.store.db import ManualMark, StoredFinding
from redact.verify import Expectation

PENDING_MODES = ("keep", "redact", "policy")


@dataclass(frozen=True)
class Decision:
    """What is decided for one finding, whoever decided it (the batch
    policy or a reviewer): redact it or keep it visible, under which
    exemption; ``whole_string`` (a reviewer's edited text) covers the string
    wherever it occurs rather than the finding's own span."""

    text: str
    type: str
    page: int | None
    start: int
    end: int
    redact: bool
    exemption: str
    whole_string: bool = False


def build_plan(decisions: Iterable[Decision], manual: Iterable[ManualMark] = ()) -> Plan:
    """The one plan builder: every string decided for redaction is covered
    wherever it occurs, except the exact spans decided to be kept."""
    plan = Plan()
    index: dict[tuple[str, str], StringTarget] = {}
    kept = []
    for d in decisions:
        if not d.redact:
            kept.append(d)
            continue
        _target(plan, index, d.text, d.type, d.exemption)
        if not d.whole_string:
            plan.spans.setdefault(d.page, []).append((d.start, d.end, d.exemption))
    for m in manual:
        if m.kind == "text" and m.pattern:
            _target(plan, index, m.pattern, "MANUAL", m.exemption)
        elif m.kind == "regex" and m.pattern:
            plan.regexes.append((m.pattern, m.exemption, m.page))
        elif m.kind == "area" and m.rect is not None and m.page is not None:
            plan.areas.append((m.page, m.rect, m.exemption))
        elif m.kind == "page" and m.page is not None:
            plan.whole_pages[m.page] = m.exemption
    for d in kept:  # the spans kept visible, so a string approved elsewhere does not cover them
        key = identity(d.text, d.type)
        for target in plan.strings:
            if identity(target.text, target.type) == key or normalise(target.text) == normalise(d.text):
                target.keep.setdefault(d.page, []).append((d.start, d.end))
    return plan


def _target(plan: Plan, index: dict[tuple[str, str], StringTarget], text: str, etype: str,
            exemption: str) -> StringTarget:
    key = (normalise(text), exemption)
    if key not in index:
        index[key] = StringTarget(text=text, type=etype, exemption=exemption)
        plan.strings.append(index[key])
    return index[key]


def plan_from_findings(findings: Iterable[Finding], personal: str = "redact", public: str = "keep") -> Plan:
    """The batch policy's plan: personal findings redacted, public ones kept."""
    return build_plan(Decision(f.text, f.type, f.page, f.start, f.end,
                               (public if f.public else personal) == "redact", f.exemption) for f in findings)


def plan_from_rows(rows: Iterable[StoredFinding], manual: Iterable[ManualMark], pending: str | None) -> Plan:
    """A case document's plan from its findings' latest decisions and the
    manual redactions. ``pending`` says what to do with undecided findings:
    keep them visible, redact them, or follow the proposal ('policy')."""
    return build_plan([decision_of_row(row, pending) for row in rows], manual)


def decision_of_row(row: StoredFinding, pending: str | None) -> Decision:
    """A stored finding's latest decision (``pending``: how to treat one not decided yet)."""
    redact = row.status == "approved"
    if row.status == "pending":
        redact = pending == "redact" or (pending == "policy" and row.proposed_action == "redact")
    if not redact:
        return Decision(row.text, row.type, row.page, row.start, row.end, False, row.exemption)
    return Decision(row.shown_text, row.type, row.page, row.start, row.end, True,
                    row.decided_exemption or row.exemption, whole_string=bool(row.decided_text))


def expectations(applied: Applied) -> list[Expectation]:
    """What verification must prove gone."""
    return [Expectation(text=t, type=ty, pages=pages) for t, ty, pages in applied.strings_gone]
