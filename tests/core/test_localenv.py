"""The embedded services start, are reused by a second start, and stop."""

import subprocess
import sys

import psycopg2
import redis

from siris.localenv import EmbeddedRedis, ensure_secret_key


def test_secret_key_is_generated_once(tmp_path):
    first = ensure_secret_key(tmp_path)
    assert len(first) > 40
    assert ensure_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_embedded_redis_starts_is_reused_and_stops(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis")
    url = server.start()
    assert url.startswith("unix://")
    client = redis.Redis(unix_socket_path=str(server.socket))
    client.set("k", "v")
    again = EmbeddedRedis(tmp_path / "redis")
    assert again.start() == url and again.process is None  # reused, not a second server
    assert client.get("k") == b"v"
    server.stop()
    assert server.process.poll() is not None


START_AND_QUERY = """
import sys
from pathlib import Path
import psycopg2
from siris.localenv import EmbeddedPostgres
folder = Path(sys.argv[1])
url = EmbeddedPostgres(folder).start()
conn = psycopg2.connect(dbname="siris", user="postgres", host=str(folder))
with conn.cursor() as cur:
    cur.execute("CREATE TABLE IF NOT EXISTS runs (n serial primary key)")
    cur.execute("INSERT INTO runs DEFAULT VALUES")
    cur.execute("SELECT count(*) FROM runs")
    print(url, cur.fetchone()[0])
conn.commit()
conn.close()
"""


def test_embedded_postgres_starts_survives_a_second_run_and_stops(tmp_path):
    """Each run is a child process: the server stops when its last holder exits, and the next run
    reuses the same data folder (the row written by the first run is still there)."""
    folder = tmp_path / "pg"
    runs = []
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", START_AND_QUERY, str(folder)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        url, count = result.stdout.strip().splitlines()[-1].split()
        runs.append(int(count))
        assert url.startswith("postgresql://postgres@") and url.endswith("/siris")
        # Stopped with its holder: nothing answers on the socket any more.
        try:
            psycopg2.connect(dbname="siris", user="postgres", host=str(folder), connect_timeout=2).close()
            answered = True
        except psycopg2.OperationalError:
            answered = False
        assert not answered
    assert runs == [1, 2]
