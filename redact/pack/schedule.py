"""The redaction schedule: what was withheld, per document and page, by
exemption, counted from the boxes actually applied (the outputs' records)."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from redact.store.db import Store


@dataclass
class ScheduleRow:
    """Redactions of one exemption on one page."""

    document: str
    page: str
    exemption: str
    count: int
    whole_page: bool = False


def build_schedule(store: Store) -> list[ScheduleRow]:
    """Rows from the latest verified output of every document."""
    rows: list[ScheduleRow] = []
    for out in store.outputs():
        report = json.loads(out["report"])
        whole = {str(p): code for p, code in report.get("whole_pages", {}).items()}
        for page, codes in sorted(report.get("boxes_by_page", {}).items(), key=lambda kv: int(kv[0])):
            for code, count in sorted(codes.items()):
                rows.append(ScheduleRow(out["document"], "-" if page == "0" else page, code, int(count),
                                        whole_page=whole.get(page) == code))
    return rows


def write_schedule_csv(rows: list[ScheduleRow], path: Path) -> None:
    """The schedule as CSV."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["document", "page", "exemption", "count", "whole_page"])
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
