"""The mail catcher's two HTML pages: the message list and one message. Pure rendering.

Jinja2 with autoescaping: subjects and bodies come from whoever sent the mail. A
message's HTML part is never inlined into our page; it is shown in a sandboxed iframe
from its own URL (served with a `sandbox` Content-Security-Policy), so its scripts and
styles cannot touch the page around it.
"""

from __future__ import annotations

from datetime import datetime

from jinja2 import DictLoader, Environment, select_autoescape

from deploy.local.mailbox import StoredMessage
from shared.thai.dates import BANGKOK, buddhist_year

_BASE = """<!doctype html>
<html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} · Siang mail catcher</title>
<style>
 body { font-family: "Sarabun", "Noto Sans Thai", "Tahoma", sans-serif; margin: 1.5rem;
        color: #1d2733; max-width: 72rem; }
 h1 { font-size: 1.3rem; } a { color: #0b5cad; }
 table { border-collapse: collapse; width: 100%; }
 th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde3ea;
          vertical-align: top; }
 tr:hover td { background: #f4f7fa; }
 .muted { color: #5d6b7a; font-size: .9em; }
 pre { white-space: pre-wrap; background: #f6f8fa; padding: 1rem; border-radius: 4px; }
 iframe { width: 100%; height: 32rem; border: 1px solid #dde3ea; }
 dl { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
 dt { font-weight: bold; }
</style></head>
<body>{% block body %}{% endblock %}</body></html>
"""

_LIST = """{% extends "base.html" %}
{% block title %}Inbox ({{ messages|length }}){% endblock %}
{% block body %}
<h1>Siang mail catcher · กล่องจดหมายทดสอบ</h1>
<p class="muted">{{ messages|length }} message(s) caught on SMTP port {{ smtp_port }},
stored in <code>{{ directory }}</code>. Newest first.
<a href="/messages">JSON</a> · <a href="/">refresh</a></p>
{% if messages %}
<table>
<thead><tr><th>received</th><th>to</th><th>subject</th><th>from</th></tr></thead>
<tbody>
{% for m in messages %}
<tr>
 <td class="muted">{{ m.received_at|local }}</td>
 <td>{{ m.recipients|join(", ") }}</td>
 <td><a href="/view/{{ m.id }}">{{ m.subject or "(no subject)" }}</a></td>
 <td class="muted">{{ m.sender }}</td>
</tr>
{% endfor %}
</tbody></table>
{% else %}
<p>No mail yet. ยังไม่มีจดหมาย</p>
{% endif %}
{% endblock %}
"""

_MESSAGE = """{% extends "base.html" %}
{% block title %}{{ m.subject or "(no subject)" }}{% endblock %}
{% block body %}
<p><a href="/">← inbox</a></p>
<h1>{{ m.subject or "(no subject)" }}</h1>
<dl>
 <dt>From</dt><dd>{{ m.sender }}</dd>
 <dt>To</dt><dd>{{ m.recipients|join(", ") }}</dd>
 <dt>Date</dt><dd>{{ m.date|local if m.date else "(none)" }}</dd>
 <dt>Received</dt><dd>{{ m.received_at|local }}</dd>
 <dt>File</dt><dd><a href="/raw/{{ m.id }}">{{ m.file }}</a></dd>
 {% if m.attachments %}<dt>Attachments</dt><dd>{{ m.attachments|join(", ") }}</dd>{% endif %}
</dl>
{% if m.html is not none %}
<h2>HTML</h2>
<iframe sandbox src="/html/{{ m.id }}" title="HTML part"></iframe>
{% endif %}
{% if m.text is not none %}
<h2>Text</h2>
<pre>{{ m.text }}</pre>
{% endif %}
{% if m.html is none and m.text is none %}<p>(no readable body)</p>{% endif %}
{% endblock %}
"""


def local_time(value: datetime) -> str:
    """A timestamp as people in the office read it: Bangkok time, Christian and B.E. year."""
    at = value.astimezone(BANGKOK)
    return f"{at:%Y-%m-%d %H:%M:%S} (พ.ศ. {buddhist_year(at.year)})"


def _environment() -> Environment:
    env = Environment(
        loader=DictLoader({"base.html": _BASE, "list.html": _LIST, "message.html": _MESSAGE}),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["local"] = local_time
    return env


_ENV = _environment()


def inbox_page(messages: list[StoredMessage], *, smtp_port: int, directory: str) -> str:
    return _ENV.get_template("list.html").render(
        messages=messages, smtp_port=smtp_port, directory=directory
    )


def message_page(message: StoredMessage) -> str:
    return _ENV.get_template("message.html").render(m=message)
