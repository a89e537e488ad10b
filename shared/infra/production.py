"""Production mode: with `SIANG_ENV=production` a service refuses to start while a
secret still has its development value, and says which variable to set.

A settings field marks its default as a development secret with
`json_schema_extra={"development_secret": True}`; the check walks a service's settings
(nested settings included) and compares each marked value with its default. Grafana's
anonymous access is refused too: docker-compose gives Grafana and the services the same
env file, so a service sees `GF_AUTH_ANONYMOUS_ENABLED` when the operator turned it on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

MARK = "development_secret"
GRAFANA_ANONYMOUS = "GF_AUTH_ANONYMOUS_ENABLED"


class DeploymentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SIANG_", extra="ignore")

    # `production` refuses development secrets; `development` (the default) only warns.
    env: Literal["development", "production"] = Field(default="development")


class UnsafeSettings(RuntimeError):
    """A service must not start with these settings; the message says what to set."""


class DevelopmentSecretsInProduction(UnsafeSettings):
    """Raised at start in production mode; names every variable still to set."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            "SIANG_ENV=production, but these settings still have their development values"
            f" or are unsafe: {', '.join(names)}; set each in the environment (see"
            " deploy/siang.env.example) and start again"
        )


def _plain(value: Any) -> Any:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def _env_prefix(model: BaseModel, inherited: str) -> str:
    if isinstance(model, BaseSettings):
        prefix = model.model_config.get("env_prefix") or ""
        if prefix:
            return str(prefix).upper()
    return inherited


def development_secrets(settings: BaseModel, prefix: str = "") -> Iterator[str]:
    """The environment variable of every marked field whose value is still its
    default (or empty), walking nested settings."""
    prefix = _env_prefix(settings, prefix)
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        env = f"{prefix}{name.upper()}"
        if isinstance(value, BaseModel):
            nested = env + "__" if not isinstance(value, BaseSettings) else env + "_"
            yield from development_secrets(value, nested)
            continue
        extra = field.json_schema_extra
        if not (isinstance(extra, Mapping) and extra.get(MARK)):
            continue
        current = _plain(value)
        if not current or current == _plain(field.get_default(call_default_factory=True)):
            yield env


def unsafe_in_production(settings: BaseModel, environ: Mapping[str, str]) -> list[str]:
    names = sorted(set(development_secrets(settings)))
    if environ.get(GRAFANA_ANONYMOUS, "").strip().lower() in {"1", "true", "yes", "on"}:
        names.append(GRAFANA_ANONYMOUS)
    return names


def refuse_development_secrets(
    settings: BaseModel, environ: Mapping[str, str] | None = None
) -> None:
    """In production mode, raise when anything is still a development value."""
    environ = os.environ if environ is None else environ
    # Validated, so a misspelt mode ("prod") stops the start instead of meaning development.
    given = environ.get("SIANG_ENV", "development")
    try:
        mode = DeploymentSettings.model_validate({"env": given})
    except ValidationError:
        raise UnsafeSettings(
            f"SIANG_ENV must be development or production, not {given!r}"
        ) from None
    if mode.env != "production":
        return
    names = unsafe_in_production(settings, environ)
    if names:
        raise DevelopmentSecretsInProduction(names)


def secure_cookies(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether cookies carry `Secure` (sent over HTTPS only): in production, where the
    pages are served behind TLS; not in development, whose pages are plain HTTP on
    127.0.0.1 and would otherwise lose their sign-in."""
    return environ.get("SIANG_ENV", "development").strip().lower() == "production"
