"""Shared fixtures: the model is loaded once per test process."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact.config import DEFAULT_RULES_DIR, Settings
from redact.detect.rules import RuleSet, load_rules
from redact.detect.scan import Scanner


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules(DEFAULT_RULES_DIR)


@pytest.fixture(scope="session")
def scanner(settings: Settings, rules: RuleSet) -> Scanner:
    return Scanner(settings, rules)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
