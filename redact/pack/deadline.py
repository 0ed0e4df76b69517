"""Statutory deadlines in working days (FOIA s10).

A working day is any day but Saturday, Sunday and a bank holiday anywhere in
the UK: the union of the England and Wales, Scotland and Northern Ireland
calendars (the ``holidays`` package), plus days a force adds for proclaimed
holidays. The day a request arrives is day 0 even when it is not a working
day; the deadline is working day 20. A clarification restarts the clock, the
working days from a fees notice to the payment (both included) do not count,
and a public interest extension adds working days (normally 20 at most).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

STATUTORY_DAYS = 20
PI_DEFAULT_DAYS = 20
PI_NORMAL_MAX_DAYS = 20
REVIEW_DAYS = 20
REVIEW_EXCEPTIONAL_DAYS = 40


@lru_cache(maxsize=64)
def _uk_holidays(year: int) -> frozenset[date]:
    days: set[date] = set()
    for subdiv in ("ENG", "WLS", "SCT", "NIR"):
        days.update(holidays.country_holidays("GB", subdiv=subdiv, years=year).keys())
    return frozenset(days)


class Calendar:
    """Working days: no weekends, no UK bank holidays, no extra days given."""

    def __init__(self, extra_holidays: Iterable[date] = ()) -> None:
        self.extra = frozenset(extra_holidays)

    def is_working_day(self, day: date) -> bool:
        """True on a day the clock runs."""
        return day.weekday() < 5 and day not in _uk_holidays(day.year) and day not in self.extra

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` is day 0)."""
        day = start
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


@dataclass
class Deadline:
    """A request's due dates and what they were computed from."""

    received: date
    clock_start: date
    due: date
    fee_days: int = 0
    pi_extension_days: int = 0
    pi_due: date | None = None
    notes: list[str] = field(default_factory=list)

    def days_left(self, calendar: Calendar, today: date) -> int:
        """Working days from today to the due date (negative when overdue)."""
        final = self.pi_due or self.due
        if today <= final:
            return calendar.working_days_between(today + timedelta(days=1), final)
        return -calendar.working_days_between(final + timedelta(days=1), today)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "received": self.received.isoformat(), "clock_start": self.clock_start.isoformat(),
            "due": self.due.isoformat(), "fee_days": self.fee_days,
            "pi_extension_days": self.pi_extension_days,
            "pi_due": self.pi_due.isoformat() if self.pi_due else None, "notes": self.notes,
        }


def request_deadline(
    calendar: Calendar,
    received: date,
    *,
    clarified: date | None = None,
    fee_notice: date | None = None,
    fee_paid: date | None = None,
    pi_extension: int | None = None,
) -> Deadline:
    """Working day 20 from receipt (or clarification), with fee days and any
    public interest extension."""
    notes = []
    start = received
    if clarified is not None:
        if clarified < received:
            raise ValueError("the clarification cannot arrive before the request")
        start = clarified
        notes.append(f"clock restarted on clarification received {clarified.isoformat()}")
    fee_days = 0
    if fee_notice is not None or fee_paid is not None:
        if fee_notice is None or fee_paid is None:
            raise ValueError("give both the fees notice date and the date the fee was paid")
        if fee_paid < fee_notice:
            raise ValueError("the fee cannot be paid before the fees notice")
        fee_days = calendar.working_days_between(fee_notice, fee_paid)
        notes.append(f"{fee_days} working day(s) from fees notice to payment not counted")
    due = calendar.add_working_days(start, STATUTORY_DAYS + fee_days)
    deadline = Deadline(received=received, clock_start=start, due=due, fee_days=fee_days, notes=notes)
    if pi_extension is not None:
        if pi_extension < 0:
            raise ValueError("a public interest extension cannot be negative")
        deadline.pi_extension_days = pi_extension
        deadline.pi_due = calendar.add_working_days(due, pi_extension)
        if pi_extension > PI_NORMAL_MAX_DAYS:
            notes.append(f"public interest extension of {pi_extension} working days exceeds the "
                         f"{PI_NORMAL_MAX_DAYS} the ICO normally accepts (40 in total): record why")
        notes.append("the refusal notice is still due by working day 20, with an estimated decision date")
    return deadline


def review_deadline(calendar: Calendar, review_received: date) -> tuple[date, date]:
    """Internal review: due in 20 working days, 40 at most in exceptional cases."""
    return (calendar.add_working_days(review_received, REVIEW_DAYS),
            calendar.add_working_days(review_received, REVIEW_EXCEPTIONAL_DAYS))
