"""Undo and redo of a reviewer's own recent actions at the review desk.

The decision log is never rewritten: undoing a decision appends the one
before it again (or a 'reopen', when there was none), and redoing appends
the undone decision again. A manual mark undone is withdrawn (kept in the
store with who and why); redone, it is added again. An action someone else
has overtaken since (a later decision on the same finding, a mark already
withdrawn) is not undone: the reviewer is told why.

Each reviewer's steps are kept in the store as append-only events (did,
undid, redid) and replayed when asked, so undo and redo survive a restart
of `redact serve` and agree between two desks on one case."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from redact.exceptions import RequestError
from redact.store.db import Decision, Store


@dataclass(frozen=True)
class Step:
    """One action as the reviewer took it: the decisions it appended (and,
    for a step made by undo, the decisions it took back), or the marks it
    added."""

    what: str
    decisions: tuple[int, ...] = ()
    took_back: tuple[int, ...] = ()
    marks: tuple[int, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Step:
        return cls(str(data["what"]), tuple(data.get("decisions", ())), tuple(data.get("took_back", ())),
                   tuple(data.get("marks", ())))


@dataclass
class UndoLog:
    """What one reviewer can undo and redo."""

    done: list[Step] = field(default_factory=list)
    undone: list[Step] = field(default_factory=list)
    limit: int = 200

    @classmethod
    def of(cls, store: Store, reviewer: str) -> UndoLog:
        """``reviewer``'s log, replayed from the store's undo events."""
        log = cls()
        for event, step in store.undo_events(reviewer):
            log._apply(event, Step.from_json(step))
        return log

    def _apply(self, event: str, step: Step) -> None:
        if event == "do":  # a new action: it can be undone; what was undone can no longer be redone
            self.done.append(step)
            del self.done[:-self.limit]
            self.undone.clear()
        elif event == "undo":
            if self.done:
                self.done.pop()
            self.undone.append(step)
        else:
            if self.undone:
                self.undone.pop()
            self.done.append(step)

    def _happened(self, store: Store, reviewer: str, event: str, step: Step) -> None:
        store.append_undo_event(reviewer, event, asdict(step))
        self._apply(event, step)

    def record(self, store: Store, reviewer: str, step: Step) -> None:
        """A new action by ``reviewer``, kept so that it can be undone."""
        self._happened(store, reviewer, "do", step)

    def undo(self, store: Store, reviewer: str) -> str:
        """Take back the latest action; say what was taken back."""
        if not self.done:
            raise RequestError("nothing to undo")
        step = self.done[-1]
        if step.marks:
            _check_marks_open(store, step.marks)
            for mark_id in step.marks:
                store.withdraw_manual(mark_id, reviewer, f"undo at the review desk: {step.what}")
            self._happened(store, reviewer, "undo", Step(step.what, marks=step.marks))
        else:
            _check_latest(store, step.decisions)
            back = []
            for decision_id in step.decisions:
                row, before = store.decision(decision_id), store.decision_before(decision_id)
                reason = f"undo of decision {decision_id}"
                back.append(Decision(row["finding_id"], "reopen", reason) if before is None else
                            Decision(row["finding_id"], before["action"], reason, before["text"], before["exemption"]))
            ids = store.append_decisions(back, reviewer)
            self._happened(store, reviewer, "undo", Step(step.what, decisions=tuple(ids), took_back=step.decisions))
        return f"undone: {step.what}"

    def redo(self, store: Store, reviewer: str) -> str:
        """Do again the latest action undone; say what was done."""
        if not self.undone:
            raise RequestError("nothing to redo")
        step = self.undone[-1]
        if step.marks:
            again = []
            for mark_id in step.marks:
                row = store.manual_mark(mark_id)
                again.append(store.add_manual(
                    row["kind"], row["exemption"], reviewer, document_id=row["document_id"], pattern=row["pattern"],
                    page=row["page"], rect=None if row["rect"] is None else _rect(row["rect"]),
                    reason=f"redo of manual redaction {mark_id}"))
            self._happened(store, reviewer, "redo", Step(step.what, marks=tuple(again)))
        else:
            _check_latest(store, step.decisions)
            copies = []
            for decision_id in step.took_back:
                row = store.decision(decision_id)
                copies.append(Decision(row["finding_id"], row["action"], f"redo of decision {decision_id}",
                                       row["text"], row["exemption"]))
            self._happened(store, reviewer, "redo",
                           Step(step.what, decisions=tuple(store.append_decisions(copies, reviewer))))
        return f"redone: {step.what}"


def _check_latest(store: Store, decision_ids: tuple[int, ...]) -> None:
    """Each decision must still be its finding's latest."""
    for decision_id in decision_ids:
        row = store.decision(decision_id)
        latest = store.latest_decision(row["finding_id"])
        if latest is not None and latest["id"] != decision_id:
            raise RequestError(f"finding {row['finding_id']} was decided again by {latest['reviewer']} at "
                               f"{latest['decided_at']}; not undone")


def _check_marks_open(store: Store, mark_ids: tuple[int, ...]) -> None:
    for mark_id in mark_ids:
        row = store.manual_mark(mark_id)
        if row["withdrawn_at"] is not None:
            raise RequestError(f"manual redaction {mark_id} was withdrawn by {row['withdrawn_by']}; not undone")


def _rect(stored: str) -> list[float]:
    return [float(v) for v in json.loads(stored)]
