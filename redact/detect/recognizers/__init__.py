"""Coded recognisers, one per file, for what a regex alone cannot decide."""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult


def coded_result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float, pattern: str,
                 why: str) -> RecognizerResult:
    """One result of a coded recogniser, explained as Presidio's pattern
    recognisers explain theirs (recogniser, pattern name, score, why)."""
    explanation = AnalysisExplanation(recognizer=recognizer.name, original_score=score, pattern_name=pattern,
                                      textual_explanation=why)
    return RecognizerResult(
        entity_type=entity, start=start, end=end, score=score, analysis_explanation=explanation,
        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
                              RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id},
    )
