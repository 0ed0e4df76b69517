"""Redact plain text: each approved span becomes its exemption mark.

presidio-anonymizer does the replacement and resolves overlapping spans.
"""

from __future__ import annotations

import regex
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from redact.apply import Applied, Plan
from redact.normalise import line_pattern


def redact_text(text: str, plan: Plan) -> tuple[str, Applied]:
    """Return the redacted text and what was removed."""
    spans: list[tuple[int, int, str]] = list(plan.spans.get(None, []))
    for target in plan.strings:
        kept = target.keep.get(None, [])
        for m in line_pattern(target.text).finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in kept):
                spans.append((m.start(), m.end(), target.exemption))
    for pattern, code, _page in plan.regexes:
        spans.extend((m.start(), m.end(), code) for m in regex.finditer(pattern, text, regex.MULTILINE))
    applied = Applied()
    if not spans:
        return text, applied
    codes = sorted({code for _, _, code in spans})
    operators = {code: OperatorConfig("replace", {"new_value": f"[{code}]"}) for code in codes}
    results = [RecognizerResult(entity_type=code, start=s, end=e, score=1.0) for s, e, code in spans]
    out = AnonymizerEngine().anonymize(text=text, analyzer_results=results, operators=operators)
    applied.boxes[0] = [((0.0, 0.0, 0.0, 0.0), item.entity_type) for item in out.items]
    for target in plan.strings:
        applied.strings_gone.append((target.text, target.type, None if not target.keep.get(None) else []))
    return out.text, applied
