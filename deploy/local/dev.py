"""`make dev`: the local servers, a mail catcher, the LINE, Facebook and SMS-gateway
stand-ins and the five services as processes.

Each process logs to `.local/logs/<name>.log`. Once the services answer, the demo data
is loaded (first run on a database only; see `deploy/local/demo_data.py` and
`deploy/local/demo_participation.py`). Ctrl-C stops the services and the mail catcher;
the Kafka broker and SecantusDB keep running (and keep their data), so the next
`make dev` starts in seconds from the same data; `make infra-down` stops them too.

Ports move with `SIANG_<SERVICE>_PORT`, `SIANG_MAIL_SMTP_PORT`, `SIANG_MAIL_WEB_PORT` and
`SIANG_LINE_STANDIN_PORT`, `SIANG_FACEBOOK_STANDIN_PORT`, `SIANG_SMS_STANDIN_PORT`,
`SIANG_PROMETHEUS_PORT` (a local Prometheus with the alert rules, `deploy/local/prometheus.py`);
`SIANG_DEV_DEMO=0` skips the demo data.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx
from pymongo.errors import PyMongoError

from deploy.local import (
    demo_data,
    demo_participation,
    facebook_standin,
    line_standin,
    prometheus,
    sms_standin,
)
from deploy.local.dovecot import DovecotServer
from deploy.local.servers import LOCAL_DIR, InfraError, port_open, servers
from shared.contract.catalogue import DEFAULT_PATH as DEFAULT_CATALOGUE
from shared.contract.catalogue import load_catalogue
from shared.infra.settings import MongoSettings

REPO = Path(__file__).resolve().parents[2]
SERVICES = {
    "intake": 8001,
    "workflow": 8002,
    "notifications": 8003,
    "reporting": 8004,
    "participation": 8005,
}
MAIL_SMTP_PORT = 1025
MAIL_WEB_PORT = 8025
LINE_STANDIN_PORT = line_standin.PORT
FACEBOOK_STANDIN_PORT = facebook_standin.PORT
SMS_STANDIN_PORT = sms_standin.PORT
PROMETHEUS_PORT = prometheus.PORT
PAGES = {
    "intake": "/  (public form)   /docs  (API)",
    "workflow": "/console  (staff)   /docs  (API)",
    "notifications": "/docs",
    "reporting": "/dashboard   /transparency   /docs",
    "participation": "/consultations   /you-said-we-did   /staff/consultations   /docs",
    "mail": "/  (every e-mail sent)   /messages  (JSON)",
    "line": "/standin/messages  (LINE replies, pushes)  POST /standin/say",
    "facebook": "/standin/messages  (Messenger replies)  POST /standin/say",
    "sms": "/  (every SMS sent)   /standin/messages  (JSON)",
}
# The public web channel allows 10 a minute per address; the demo load posts a few dozen
# from 127.0.0.1 at once. Raised for the local run only, unless set by hand.
DEV_WEB_RATE = {"SIANG_INTAKE_WEB_RATE_PER_MINUTE": "600", "SIANG_INTAKE_WEB_BURST": "100"}
STAFF_DEMO = (
    "admin, committee, coordinator (participation), <unit>.head (supervisor), "
    "<unit>.a / <unit>.b (staff)"
)


@dataclass(frozen=True)
class Ports:
    services: dict[str, int]
    mail_smtp: int
    mail_web: int
    line_standin: int = LINE_STANDIN_PORT
    facebook_standin: int = FACEBOOK_STANDIN_PORT
    sms_standin: int = SMS_STANDIN_PORT
    prometheus: int = PROMETHEUS_PORT

    def all(self) -> dict[str, int]:
        """Every port, named by the variable that moves it."""
        named = {f"SIANG_{n.upper()}_PORT": p for n, p in self.services.items()}
        return {
            **named,
            "SIANG_MAIL_SMTP_PORT": self.mail_smtp,
            "SIANG_MAIL_WEB_PORT": self.mail_web,
            "SIANG_LINE_STANDIN_PORT": self.line_standin,
            "SIANG_FACEBOOK_STANDIN_PORT": self.facebook_standin,
            "SIANG_SMS_STANDIN_PORT": self.sms_standin,
            "SIANG_PROMETHEUS_PORT": self.prometheus,
        }


def ports_from(env: Mapping[str, str]) -> Ports:
    """The ports to use: the defaults, each moved by its environment variable."""
    return Ports(
        services={n: int(env.get(f"SIANG_{n.upper()}_PORT", p)) for n, p in SERVICES.items()},
        mail_smtp=int(env.get("SIANG_MAIL_SMTP_PORT", MAIL_SMTP_PORT)),
        mail_web=int(env.get("SIANG_MAIL_WEB_PORT", MAIL_WEB_PORT)),
        line_standin=int(env.get("SIANG_LINE_STANDIN_PORT", LINE_STANDIN_PORT)),
        facebook_standin=int(env.get("SIANG_FACEBOOK_STANDIN_PORT", FACEBOOK_STANDIN_PORT)),
        sms_standin=int(env.get("SIANG_SMS_STANDIN_PORT", SMS_STANDIN_PORT)),
        prometheus=int(env.get("SIANG_PROMETHEUS_PORT", PROMETHEUS_PORT)),
    )


def mailbox_env(imap: DovecotServer) -> dict[str, str]:
    """Intake's e-mail channel pointed at the local Dovecot (loopback, no TLS)."""
    return {
        "SIANG_INTAKE_EMAIL__HOST": "127.0.0.1",
        "SIANG_INTAKE_EMAIL__PORT": str(imap.port),
        "SIANG_INTAKE_EMAIL__TLS": "false",
        "SIANG_INTAKE_EMAIL__USER": imap.account.user,
        "SIANG_INTAKE_EMAIL__PASSWORD": imap.account.password,
    }


def child_env(base: Mapping[str, str], *, kafka: str, mongo: str, ports: Ports) -> dict[str, str]:
    """The environment of every child: the infrastructure, the ports, notifications
    pointed at the mail catcher, LINE (intake's replies, notifications' pushes) and SMS
    at their stand-ins, and links in messages pointed at the local services."""
    intake = f"http://127.0.0.1:{ports.services['intake']}"
    workflow = f"http://127.0.0.1:{ports.services['workflow']}"
    line = f"http://127.0.0.1:{ports.line_standin}"
    facebook = f"http://127.0.0.1:{ports.facebook_standin}"
    # Defaults a developer may override in their own environment...
    env = {
        **DEV_WEB_RATE,
        "SIANG_INTAKE_PUBLIC_BASE_URL": intake,
        "SIANG_NOTIFICATIONS_OFFICE__WEBSITE": intake,
        "SIANG_NOTIFICATIONS_OFFICE__TRACKING_URL": f"{intake}/track",
        "SIANG_NOTIFICATIONS_OFFICE__STAFF_CASE_URL": f"{workflow}/console/cases",
        "SIANG_NOTIFICATIONS_OFFICE__STAFF_DASHBOARD_URL": f"{workflow}/console",
        "SIANG_NOTIFICATIONS_SURVEY_URL_TEMPLATE": f"{intake}/survey/{{token}}",
        # One sign-in for every service's staff pages: the console's, back to any of them.
        "SIANG_AUTH_SIGN_IN_URL": f"{workflow}/console/login",
        "SIANG_AUTH_PAGE_ORIGINS": json.dumps(
            [f"http://127.0.0.1:{port}" for port in ports.services.values()]
        ),
        # The "how you can take part" page links the local form, Open311 and report.
        "SIANG_PARTICIPATION_CONTACTS__WEB_FORM_URL": f"{intake}/",
        "SIANG_PARTICIPATION_CONTACTS__OPEN311_URL": f"{intake}/open311/v2",
        "SIANG_PARTICIPATION_CONTACTS__PARTICIPATION_REPORT_URL": (
            f"http://127.0.0.1:{ports.services['reporting']}/transparency/participation"
        ),
        "SIANG_INTAKE_LINE__CHANNEL_SECRET": line_standin.DEV_SECRET,
        "SIANG_INTAKE_LINE__CHANNEL_TOKEN": line_standin.DEV_TOKEN,
        "SIANG_NOTIFICATIONS_LINE__CHANNEL_TOKEN": line_standin.DEV_TOKEN,
        "SIANG_INTAKE_FACEBOOK__APP_SECRET": facebook_standin.DEV_SECRET,
        "SIANG_INTAKE_FACEBOOK__VERIFY_TOKEN": facebook_standin.DEV_VERIFY_TOKEN,
        "SIANG_INTAKE_FACEBOOK__PAGE_TOKEN": facebook_standin.DEV_PAGE_TOKEN,
        # The same Page answers and tells: the stand-in expects intake's token from both.
        "SIANG_NOTIFICATIONS_FACEBOOK__PAGE_TOKEN": base.get(
            "SIANG_INTAKE_FACEBOOK__PAGE_TOKEN", facebook_standin.DEV_PAGE_TOKEN
        ),
        # The stand-in expects the key notifications sends (both read this variable).
        "SIANG_NOTIFICATIONS_SMS__API_KEY": sms_standin.DEV_KEY,
        # The disks of the local Kafka and SecantusDB, which no exporter watches here:
        # every service reports their free space for the disk alerts.
        "SIANG_METRICS_DISK_PATHS": json.dumps(
            [str(LOCAL_DIR / "kafka" / "data"), str(LOCAL_DIR / "mongo" / "data")]
        ),
        **base,
    }
    # ...and what must agree with the processes started here: no mail leaves the machine.
    env.update(
        {
            "SIANG_KAFKA_BOOTSTRAP_SERVERS": kafka,
            "SIANG_MONGO_URL": mongo,
            "PYTHONUNBUFFERED": "1",
            "SIANG_MAIL_SMTP_PORT": str(ports.mail_smtp),
            "SIANG_MAIL_WEB_PORT": str(ports.mail_web),
            "SIANG_NOTIFICATIONS_SMTP__HOST": "127.0.0.1",
            "SIANG_NOTIFICATIONS_SMTP__PORT": str(ports.mail_smtp),
            "SIANG_NOTIFICATIONS_SMTP__STARTTLS": "false",
            "SIANG_NOTIFICATIONS_SMTP__SSL": "false",
            # The catcher keeps a copy of every e-mail: an erasure must reach it too.
            "SIANG_NOTIFICATIONS_MAIL_ARCHIVE_PURGE_URL": f"http://127.0.0.1:{ports.mail_web}/purge",
            # No LINE message leaves the machine either.
            "SIANG_LINE_STANDIN_PORT": str(ports.line_standin),
            "SIANG_LINE_STANDIN_WEBHOOK": f"{intake}/v1/channels/line/webhook",
            "SIANG_INTAKE_LINE__API_BASE_URL": line,
            "SIANG_INTAKE_LINE__DATA_BASE_URL": line,
            "SIANG_NOTIFICATIONS_LINE__BASE_URL": line,
            # Nor any Messenger message: the Graph API and the photos are the stand-in's.
            "SIANG_FACEBOOK_STANDIN_PORT": str(ports.facebook_standin),
            "SIANG_FACEBOOK_STANDIN_WEBHOOK": f"{intake}/v1/channels/facebook/webhook",
            "SIANG_INTAKE_FACEBOOK__GRAPH_BASE_URL": facebook,
            "SIANG_NOTIFICATIONS_FACEBOOK__GRAPH_BASE_URL": facebook,
            "SIANG_INTAKE_FACEBOOK__IMAGE_HOSTS": '["127.0.0.1"]',
            # Nor any SMS: the gateway is the stand-in, which shows each one.
            "SIANG_SMS_STANDIN_PORT": str(ports.sms_standin),
            "SIANG_NOTIFICATIONS_SMS__URL": f"http://127.0.0.1:{ports.sms_standin}{sms_standin.PATH}",
            "SIANG_PROMETHEUS_PORT": str(ports.prometheus),
        }
    )
    env.update({f"SIANG_{n.upper()}_PORT": str(p) for n, p in ports.services.items()})
    return env


def busy(ports: Ports) -> list[str]:
    """A line for each port something else already listens on."""
    return [
        f"port {port} is in use; set {name} to another port"
        for name, port in ports.all().items()
        if port_open(port)
    ]


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


class _Stop(Exception):
    """SIGTERM, handled like Ctrl-C."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


class Processes:
    """The children: started in their own process group, so Ctrl-C reaches only this
    process, which then stops each child once, in order (a second signal would make
    uvicorn skip its graceful shutdown)."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, module: str) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        self.procs[name] = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", module],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            process_group=0,
        )
        log.close()  # the child holds its own copy

    def exited(self) -> str | None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                return f"{name} exited with {proc.returncode}; see {self.logs / (name + '.log')}"
        return None

    def stop(self) -> None:
        """Stop the services, then the mail catcher and the stand-ins: a service
        stopping may still hand them a last message."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        catchers = ("mail", "line", "facebook", "sms")
        self._stop([p for n, p in self.procs.items() if n not in catchers])
        self._stop([p for n, p in self.procs.items() if n in catchers])

    @staticmethod
    def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_ready(procs: Processes, ports: dict[str, int], timeout: float) -> set[str]:
    """Wait until each named process answers /readyz; returns those still waiting."""
    deadline = time.monotonic() + timeout
    waiting = set(ports)
    while waiting and time.monotonic() < deadline:
        problem = procs.exited()
        if problem:
            raise InfraError(problem)
        waiting = {name for name in waiting if not _ready(ports[name])}
        if waiting:
            time.sleep(0.3)
    return waiting


def print_urls(ports: Ports, kafka: str, mongo: str, waiting: set[str], logs: Path) -> None:
    print("\nSiang is running:")
    web = {
        **ports.services,
        "mail": ports.mail_web,
        "line": ports.line_standin,
        "facebook": ports.facebook_standin,
        "sms": ports.sms_standin,
    }
    for name, port in web.items():
        state = "starting (see its log)" if name in waiting else "ready"
        print(f"  {name:<14} http://127.0.0.1:{port}{PAGES[name]:<44} {state}")
    mail_dir = os.environ.get("SIANG_MAIL_DIR", str(LOCAL_DIR / "mail"))
    print(f"  smtp           127.0.0.1:{ports.mail_smtp}  (the mail catcher; files in {mail_dir})")
    imap = DovecotServer()
    print(
        f"  imap           127.0.0.1:{imap.port}  (the office's mailbox, "
        f"{imap.account.user} / {imap.account.password}; intake reads it)"
    )
    state = "ready" if prometheus.ready(ports.prometheus) else "starting (see its log)"
    print(
        f"  {'prometheus':<14} http://127.0.0.1:{ports.prometheus}"
        # Debian's build has only the classic pages (its React UI is not packaged).
        f"{'/classic/alerts   /classic/targets':<44} {state}"
    )
    print(f"  kafka          {kafka}\n  mongodb        {mongo}\n  logs           {logs}/")
    print(
        "\nSend the office a mail: .venv/bin/python -m deploy.local.dovecot sample "
        "(a Thai complaint), or ... deliver FILE.eml; any mail client can file one too."
    )
    print(f"\nDemo staff accounts, password {demo_data.demo_password()}:\n  {STAFF_DEMO}")
    units = " ".join(u.code for u in load_catalogue(DEFAULT_CATALOGUE).units)
    print(f"  <unit>: {units}")


def print_samples(marker: Mapping[str, object], intake_port: int) -> None:
    samples = marker.get("samples") or []
    if not isinstance(samples, list) or not samples:
        return
    # The page asks for the PIN in a form (never in its address); the API takes it too.
    print("Public tracking of a few demo cases (open the page, type the PIN):")
    for s in samples:
        code, pin = s["tracking_code"], s["tracking_pin"]
        print(
            f"  {s['tracking_url']}   PIN {pin}   (API: curl -H 'X-Tracking-PIN: {pin}' "
            f"http://127.0.0.1:{intake_port}/v1/track/{code})"
        )


def run(procs: Processes, ports: Ports, kafka: str, mongo: str) -> int:
    procs.start("mail", "deploy.local.mailcatcher")
    procs.start("line", "deploy.local.line_standin")
    procs.start("facebook", "deploy.local.facebook_standin")
    procs.start("sms", "deploy.local.sms_standin")
    procs.start("prometheus", "deploy.local.prometheus")
    for name in SERVICES:
        procs.start(name, f"services.{name}")
    catchers = {
        "mail": ports.mail_web,
        "line": ports.line_standin,
        "facebook": ports.facebook_standin,
        "sms": ports.sms_standin,
    }
    waiting = wait_ready(procs, {**ports.services, **catchers}, timeout=60)
    print_urls(ports, kafka, mongo, waiting, procs.logs)
    if os.environ.get("SIANG_DEV_DEMO", "1") != "0":
        if {"intake", "workflow"} & waiting:
            print("demo data: skipped, intake or workflow is not ready")
        else:
            try:
                marker = demo_data.ensure_loaded(
                    f"http://127.0.0.1:{ports.services['intake']}",
                    f"http://127.0.0.1:{ports.services['workflow']}",
                    mongo=MongoSettings(url=mongo),
                )
                print_samples(marker, ports.services["intake"])
            except (demo_data.DemoError, httpx.HTTPError, PyMongoError) as exc:
                print(f"demo data: not loaded: {exc} (it will be tried again next start)")
        if {"participation", "workflow"} & waiting:
            print("participation demo: skipped, participation or workflow is not ready")
        else:
            try:
                demo_participation.ensure_loaded(
                    f"http://127.0.0.1:{ports.services['participation']}",
                    f"http://127.0.0.1:{ports.services['workflow']}",
                    mongo=MongoSettings(url=mongo),
                )
            except (demo_data.DemoError, httpx.HTTPError, PyMongoError) as exc:
                print(f"participation demo: not loaded: {exc} (tried again next start)")
    print("\nPress Ctrl-C to stop.")
    while True:
        problem = procs.exited()
        if problem:
            print(problem)
            return 1
        time.sleep(0.5)


def main() -> int:
    # Progress lines must show as they happen even when piped (`make dev | tee`).
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    kafka, mongo = servers()
    ports = ports_from(os.environ)
    problems = busy(ports)
    if problems:
        print("error: " + "\nerror: ".join(problems), file=sys.stderr)
        return 1
    try:
        mongo.ensure_running()
        kafka.ensure_running()
        imap = DovecotServer()
        imap.ensure_running(timeout=30)
    except InfraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    logs = LOCAL_DIR / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = child_env(os.environ, kafka=kafka.bootstrap, mongo=mongo.url, ports=ports)
    for name, value in mailbox_env(imap).items():  # the office's mailbox: the local Dovecot
        env.setdefault(name, value)
    procs = Processes(env, logs)
    signal.signal(signal.SIGTERM, _raise_stop)
    code = 0
    try:
        code = run(procs, ports, kafka.bootstrap, mongo.url)
    except (KeyboardInterrupt, _Stop):
        print("\nstopping…")
    except InfraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    finally:
        procs.stop()
    print(
        "stopped the services, the mail catcher and the LINE, Facebook and SMS stand-ins; "
        "`make infra-down` stops Kafka and SecantusDB too."
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
