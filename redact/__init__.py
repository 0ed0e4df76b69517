"""redact: find, review, remove and verify personal data in FOI disclosures."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("redact")  # one source: pyproject.toml, through the installed metadata
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0.0.0+unknown"
