"""Small helpers shared by the benchmarks."""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def median_ms(func, repeat: int = 20) -> tuple[float, int]:
    """Median wall time in ms over ``repeat`` calls, and the query count of one call."""
    with CaptureQueriesContext(connection) as ctx:
        func()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), queries


def logged_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
