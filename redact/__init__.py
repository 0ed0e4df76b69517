"""redact: find, review, remove and verify personal data in FOI disclosures."""

from __future__ import annotations

__version__ = "0.1.0"
