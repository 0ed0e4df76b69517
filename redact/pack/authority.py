"""The authority's own details for letters (``templates/authority.yaml``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redact.config import read_yaml_mapping
from redact.exceptions import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewRoute(_Strict):
    contact: str
    within: str = "40 working days"


class Ico(_Strict):
    name: str = "Information Commissioner's Office"
    address: list[str]
    url: str
    phone: str | None = None

    @property
    def address_text(self) -> str:
        """The address on one line."""
        return ", ".join(self.address)


class Authority(_Strict):
    name: str
    address: list[str] = Field(default_factory=list)
    foi_email: str
    foi_phone: str | None = None
    internal_review: ReviewRoute
    ico: Ico
    extra_non_working_days: list[date] = Field(default_factory=list)


def load_authority(path: Path) -> Authority:
    """Read and validate the authority file."""
    data = read_yaml_mapping(path, "authority details")
    try:
        return Authority(**data)
    except (ValidationError, TypeError) as exc:
        detail = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
        where = ".".join(str(p) for p in detail["loc"])
        raise ConfigError(f"{path.name}: {where}: {detail['msg']}") from exc
