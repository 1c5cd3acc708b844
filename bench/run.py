"""Benchmarks: ``make bench`` (or ``python -m bench.run --scale 0.01 [--only ledger]``).

Runs in a throw-away database created next to the configured one, so it never touches real data.
Each ``bench/bench_<name>.py`` module has ``run(scale) -> None`` and prints its own figures; speed
targets are ratios measured in one run (TARGETS.md), absolute figures are printed beside them.
"""

import argparse
import importlib
import os
import pkgutil
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siris.settings")
os.environ.setdefault("SIRIS_DB_ALLOW_TRUNCATE", "1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="fraction of the design scale (1 = full size)")
    parser.add_argument("--only", action="append", default=[], help="run only these benchmarks (by name)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    import bench

    names = sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if args.only:
        names = [n for n in names if n in args.only]
    failures = 0
    try:
        for name in names:
            print(f"\n=== {name} (scale {args.scale})", flush=True)
            started = time.perf_counter()
            try:
                importlib.import_module(f"bench.bench_{name}").run(args.scale)
            except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
                failures += 1
                print(f"!!! {name} failed: {exc!r}")
            print(f"--- {name} took {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
