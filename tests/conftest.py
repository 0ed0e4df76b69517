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


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A scanned case of the synthetic sample documents, nothing decided."""
    from redact.sample import write_sample_case_inputs
    from tests.test_cli import invoke

    inputs = write_sample_case_inputs(tmp_path / "inputs")
    case_dir = tmp_path / "case"
    assert invoke("init", str(case_dir), "--reference", "FOI-2025-0142", "--received", "2025-12-19")[0] == 0
    code, _, err = invoke("add", str(case_dir), *map(str, inputs))
    assert code == 0, err
    code, _, err = invoke("scan", str(case_dir))
    assert code == 0, err
    return case_dir
