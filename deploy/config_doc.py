"""`python -m deploy.config_doc`: every environment variable Siang reads, with its
default, as the Markdown table the README carries (a test keeps the two in step)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings

#: Path defaults under the checkout are shown relative to it, so the table is the same on
#: every machine (settings resolve them from their own file's location).
REPO = Path(__file__).resolve().parents[1]
SERVICES = ("intake", "workflow", "notifications", "reporting", "participation")
SHARED = (
    "shared.infra.settings:KafkaSettings",
    "shared.infra.settings:MongoSettings",
    "shared.infra.settings:MetricsSettings",
    "shared.infra.auth:AuthSettings",
    "shared.contract.tracking_pin:TrackingSettings",
    "shared.contract.survey_token:SurveySettings",
)


def _load(path: str) -> type[BaseSettings]:
    module, _, name = path.partition(":")
    cls: type[BaseSettings] = getattr(importlib.import_module(module), name)
    return cls


def _default(field: Any) -> str:
    if field.default_factory is not None:
        try:
            value = field.default_factory()
        except TypeError:
            return ""
    else:
        value = field.default
    if isinstance(value, SecretStr):
        return "(set it)" if value.get_secret_value() else ""
    if value is None or value == [] or value == {} or value == frozenset():
        return ""
    if isinstance(value, Path) and value.is_relative_to(REPO):
        return value.relative_to(REPO).as_posix()
    text = str(value.value if hasattr(value, "value") else value)
    return text if len(text) <= 60 else text[:57] + "..."


def _rows(prefix: str, model: type[BaseModel], skip_settings: bool) -> Iterator[tuple[str, str]]:
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseSettings) and skip_settings:
            continue  # read under its own prefix, listed once
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _rows(f"{prefix}{name.upper()}__", annotation, skip_settings)
            continue
        yield f"{prefix}{name.upper()}", _default(field)


def rows() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in SHARED:
        cls = _load(path)
        out += list(_rows(str(cls.model_config.get("env_prefix", "")), cls, True))
    for service in SERVICES:
        cls = _load(f"services.{service}.settings:{service.capitalize()}Settings")
        out += list(_rows(str(cls.model_config.get("env_prefix", "")), cls, True))
    return out


def table() -> str:
    lines = ["| variable | default |", "|---|---|"]
    lines += [f"| `{name}` | {f'`{default}`' if default else ''} |" for name, default in rows()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(table() + "\n")
