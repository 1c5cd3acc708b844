"""Pytest plugin loaded first (``-p siris.testing_env``): the test run's environment.

Imported before pytest-django reads the settings, it
1. gives the run a throw-away SECRET_KEY and plain static storage (no collectstatic manifest);
2. allows TRUNCATE on audit tables for the suite's database flushes (never UPDATE or DELETE);
3. with DATABASE_URL / REDIS_URL unset, starts the embedded PostgreSQL and Redis in
   var/test-services, once, in the controlling process; xdist workers inherit the URLs.
With SIRIS_REQUIRE_SERVICES=1 (CI), a server that cannot be reached fails the run at once.
"""

import atexit
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("SIRIS_DB_ALLOW_TRUNCATE", "1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

if not os.environ.get("PYTEST_XDIST_WORKER") and not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
    from siris.localenv import EmbeddedPostgres, EmbeddedRedis

    folder = BASE_DIR / "var" / "test-services"
    folder.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = EmbeddedPostgres(folder / "postgres").start()
    if not os.environ.get("REDIS_URL"):
        _redis = EmbeddedRedis(folder / "redis")
        os.environ["REDIS_URL"] = _redis.start()
        atexit.register(_redis.stop)
