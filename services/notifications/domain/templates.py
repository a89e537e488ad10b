"""Render a notice into the words a person reads: subject, plain text, HTML and a short form.

Layout: `services/notifications/templates/<language>/<template>.j2`, one file per message
and language, each defining four blocks:

- `subject`: the e-mail subject, one line (whitespace is collapsed);
- `text`: the plain-text body (e-mail text part, and the LINE message);
- `html`: the HTML body (e-mail HTML part), autoescaped;
- `short`: one or two lines for SMS, where every Thai character counts.

Files starting with `_` are partials included by the messages (greeting, signature).
The same file is loaded by two Jinja environments, one autoescaping for `html` and one
not for the other blocks, so a complainant's `<` never turns into `&lt;` in a text part
and never into markup in the HTML part. Undefined variables are errors, not blanks.

Filters: `date` and `datetime` (Thai B.E. or English, in Bangkok time, style and Thai
digits as the renderer is configured; `date("short")` forces the short style), `number`,
and `nl2br` (HTML only; identity in text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    pass_context,
)
from jinja2.runtime import Context as JinjaContext
from markupsafe import Markup, escape

from services.notifications.domain.labels import labels_for
from services.notifications.domain.notice import DeliveryChannel, Notice
from shared.thai.dates import DateStyle, format_date, format_datetime, to_thai_digits

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
Part = Literal["subject", "text", "html", "short"]
PARTS: tuple[Part, ...] = ("subject", "text", "html", "short")
EMAIL_PARTS: tuple[Part, ...] = ("subject", "text", "html")


class TemplateProblem(LookupError):
    """A template that does not exist or lacks one of the four parts."""


@dataclass(frozen=True, slots=True)
class EmailWords:
    """What an e-mail carries: its subject and its text and HTML bodies."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class RenderedMessage(EmailWords):
    """Every part of a message: the e-mail's, and the short form an SMS carries."""

    short: str


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        # Context dates are ISO strings (notices are stored as JSON); a bare date stays one.
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    raise TypeError(f"not a date: {value!r}")


def _as_datetime(value: object) -> datetime:
    parsed = _as_date(value)
    if not isinstance(parsed, datetime):
        raise TypeError(f"not a datetime: {value!r}")
    return parsed


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


class Renderer:
    """Renders notices with one date configuration (style and Thai digits)."""

    def __init__(
        self,
        *,
        date_style: DateStyle = "full",
        thai_digits: bool = False,
        template_dir: Path = TEMPLATE_DIR,
    ) -> None:
        self.date_style = date_style
        self.thai_digits = thai_digits
        self._text = self._environment(template_dir, autoescape=False)
        self._html = self._environment(template_dir, autoescape=True)
        # Each (environment, language, template) looked up and its blocks checked once:
        # templates change with a release (hence also `auto_reload=False`, which keeps
        # jinja2 from looking at the files, partials included, on every message).
        self._compiled: dict[tuple[bool, str, str], Template] = {}

    def _environment(self, template_dir: Path, *, autoescape: bool) -> Environment:
        env = Environment(
            loader=FileSystemLoader(template_dir),
            auto_reload=False,
            # Off only for subject, text and short, which are not HTML (see module doc).
            autoescape=autoescape,  # noqa: S701
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["date"] = self._date_filter
        env.filters["datetime"] = self._datetime_filter
        env.filters["number"] = self._number_filter
        env.filters["nl2br"] = _nl2br if autoescape else _identity
        return env

    @pass_context
    def _date_filter(self, ctx: JinjaContext, value: object, style: str | None = None) -> str:
        chosen: DateStyle = "short" if (style or self.date_style) == "short" else "full"
        return format_date(_as_date(value), ctx["language"], chosen, self.thai_digits)

    @pass_context
    def _datetime_filter(self, ctx: JinjaContext, value: object, style: str | None = None) -> str:
        chosen: DateStyle = "short" if (style or self.date_style) == "short" else "full"
        return format_datetime(_as_datetime(value), ctx["language"], chosen, self.thai_digits)

    @pass_context
    def _number_filter(self, ctx: JinjaContext, value: int) -> str:
        text = f"{value:,}"
        return to_thai_digits(text) if self.thai_digits and ctx["language"] == "th" else text

    def _template(self, env: Environment, notice: Notice) -> Template:
        key = (env is self._html, notice.language.value, notice.template.value)
        template = self._compiled.get(key)
        if template is None:
            template = self._compiled[key] = self._load(env, notice)
        return template

    def _load(self, env: Environment, notice: Notice) -> Template:
        name = f"{notice.language.value}/{notice.template.value}.j2"
        try:
            template = env.get_template(name)
        except TemplateNotFound as exc:
            raise TemplateProblem(f"no template {name}") from exc
        missing = [p for p in PARTS if p not in template.blocks]
        if missing:
            raise TemplateProblem(f"{name} lacks block(s) {', '.join(missing)}")
        return template

    def render(self, notice: Notice) -> RenderedMessage:
        """Subject, text, HTML and short text of `notice`, in its language.

        Raises TemplateProblem for a missing template or part, jinja2's UndefinedError
        for a context lacking what the template reads, and ValueError for a webhook
        notice (its body is `webhook_payload.webhook_body`, not words for a person).
        """
        parts = self._parts(notice, PARTS)
        return RenderedMessage(parts["subject"], parts["text"], parts["html"], parts["short"])

    def render_email(self, notice: Notice) -> EmailWords:
        """The parts of `notice` an e-mail carries (`render`'s, without the short form)."""
        parts = self._parts(notice, EMAIL_PARTS)
        return EmailWords(parts["subject"], parts["text"], parts["html"])

    def render_part(self, notice: Notice, part: Part) -> str:
        """One part of `notice`, as `render` gives it: a chat message sends only the
        text, and an SMS only the short form, so neither renders the HTML."""
        return self._parts(notice, (part,))[part]

    def _parts(self, notice: Notice, wanted: tuple[Part, ...]) -> dict[Part, str]:
        if notice.channel is DeliveryChannel.webhook:
            raise ValueError("webhook notices are not rendered; use webhook_body()")
        variables: dict[str, Any] = {
            **notice.context,
            "language": notice.language.value,
            "labels": labels_for(notice.language),
        }
        parts: dict[Part, str] = {}
        for part in wanted:
            # Only the HTML part is autoescaped (see the module docstring).
            template = self._template(self._html if part == "html" else self._text, notice)
            parts[part] = _TIDY[part](
                "".join(template.blocks[part](template.new_context(variables)))
            )
        return parts


def _nl2br(value: object) -> Markup:
    escaped = escape(str(value))
    return Markup("<br>\n").join(escaped.split("\n"))


def _identity(value: object) -> str:
    return str(value)


_TIDY: dict[Part, Callable[[str], str]] = {
    "subject": _one_line,
    "text": _tidy_text,
    "html": str.strip,
    "short": _one_line,
}


@cache
def default_renderer() -> Renderer:
    """A renderer with the default configuration (full Thai dates, Arabic digits)."""
    return Renderer()


def render(notice: Notice) -> RenderedMessage:
    """`notice` rendered by the default renderer; see `Renderer.render`."""
    return default_renderer().render(notice)
