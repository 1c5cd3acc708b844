"""The local run behind ``make run``: migrate, demo data, then web + Celery worker + beat.

Runs inside ``python -m siris.localenv``, which provides DATABASE_URL and REDIS_URL. Ctrl-C stops
the three processes (by their PIDs) and then the embedded servers.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siris.settings")
    os.environ.setdefault("DEBUG", "1")
    host = os.environ.get("SIRIS_HOST", "127.0.0.1")
    port = os.environ.get("SIRIS_PORT", "8000")
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    python = sys.executable
    manage = str(BASE_DIR / "manage.py")
    subprocess.run([python, manage, "migrate", "--noinput", "-v", "0"], check=True)
    subprocess.run([python, manage, "load_demo"], check=True)

    data = Path(os.environ.get("SIRIS_DATA_DIR", BASE_DIR / "var"))
    children: list[subprocess.Popen] = []
    try:
        return _serve(children, python, manage, host, port, data)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()


def _serve(children, python, manage, host, port, data) -> int:
    children += [
        subprocess.Popen([python, manage, "runserver", f"{host}:{port}", "--noreload"]),
        subprocess.Popen([python, "-m", "celery", "-A", "siris", "worker", "-Q", "default,reminders,dossiers",
                          "--concurrency", "2", "-l", "warning", "--pidfile", str(data / "celery-worker.pid")]),
        subprocess.Popen([python, "-m", "celery", "-A", "siris", "beat", "-l", "warning",
                          "--schedule", str(data / "celerybeat-schedule"),
                          "--pidfile", str(data / "celery-beat.pid")]),
    ]
    from organisation.demo_logins import DEMO_PASSWORD, LOGINS

    print(f"\n  Siris is running at http://{host}:{port}/  (Ctrl-C stops it)\n")
    print(f"  Demo log-ins (password for all: {DEMO_PASSWORD}):")
    for username, what in LOGINS:
        print(f"    {username:<16} {what}")
    print("  E-mails are printed on this console.\n", flush=True)

    stopping = False

    def stop(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for child in children:
            if child.poll() is not None:
                print(f"a Siris process ended (exit {child.returncode}); stopping the others", file=sys.stderr)
                stopping, code = True, child.returncode or 1
        time.sleep(0.5)
    return code


if __name__ == "__main__":
    sys.exit(main())
