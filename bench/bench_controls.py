"""Benchmark of the planned-versus-performed report (TARGETS P1/P2 for controls).

    python bench/bench_controls.py --scale 1      # 5,000 controls, 50,000 inspections
    python bench/bench_controls.py --scale 0.01   # the small size the ratio compares with

``run(scale)`` builds, inside one transaction that is rolled back at the end (nothing is left in
the database), a company with 20 sites x 20 work units, ``5000 x scale`` monthly controls and ten
inspections each over the last year (``50,000 x scale``), plus a missed date on one control in
ten. It then times the report selector and the report page (test client, as a QSE manager of the
company), median of 20 runs, and prints the figures and the query counts.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path


def _setup():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siris.settings")
    import django

    django.setup()


class _Rollback(Exception):
    pass


def _median_ms(func, runs=20):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _build(scale: float):
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from controls.models import Control, Inspection, MissedInspection
    from organisation.choices import Role, UnitKind
    from organisation.models import User
    from organisation.services import membership_grant, person_create, unit_create

    root = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-root", "bench-root@example.test", "bench-password-0123")
    tag = f"bench{int(time.time())}"
    company = unit_create(actor=root, kind=UnitKind.COMPANY, name="Bench Co", code=f"{tag}-co")
    work_units = []
    for s in range(20):
        site = unit_create(actor=root, kind=UnitKind.SITE, name=f"Site {s}", code=f"{tag}-s{s}", parent=company)
        for w in range(20):
            work_units.append(unit_create(actor=root, kind=UnitKind.WORK_UNIT, name=f"Unit {s}.{w}",
                                          code=f"{tag}-s{s}-w{w}", parent=site))
    qse = person_create(actor=root, username=f"{tag}-qse", email=f"{tag}-qse@example.test", first_name="Q",
                        last_name="Bench")
    membership_grant(actor=root, user=qse, unit=company, role=Role.QSE_MANAGER)
    today = timezone.localdate()
    n_controls = max(int(5000 * scale), 1)
    controls = [Control(unit=work_units[k % len(work_units)], owner=qse, title=f"Control {k}", kind="preventive",
                        frequency_count=1, frequency_unit="month", in_service_since=today - datetime.timedelta(days=400),
                        next_due_on=today + datetime.timedelta(days=k % 30)) for k in range(n_controls)]
    controls = bulk_create_with_history(controls, Control, default_user=root, default_change_reason="bench",
                                        batch_size=2000)
    if controls and controls[0].pk is None:
        controls = list(Control.objects.filter(unit__path__startswith=company.path).order_by("pk"))
    inspections, missed = [], []
    for k, control in enumerate(controls):
        for m in range(10):
            due = today - datetime.timedelta(days=30 * (m + 1) - k % 30)
            late = 3 if (k + m) % 7 == 0 else 0
            performed = timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=late),
                                                                      datetime.time(10)))
            result = "fail" if (k + m) % 13 == 0 else "partial" if (k + m) % 17 == 0 else "pass"
            inspections.append(Inspection(control=control, unit=control.unit, performed_by=qse, performed_at=performed,
                                          result=result, due_on=due, next_due_on=due + datetime.timedelta(days=30)))
        if k % 10 == 0:
            missed.append(MissedInspection(control=control, unit=control.unit,
                                           due_on=today - datetime.timedelta(days=330), reason="bench"))
    bulk_create_with_history(inspections, Inspection, default_user=root, default_change_reason="bench",
                             batch_size=5000)
    bulk_create_with_history(missed, MissedInspection, default_user=root, default_change_reason="bench",
                             batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum does on a live database
        for table in ("organisation_unit", "controls_control", "controls_inspection", "controls_missedinspection"):
            cursor.execute(f"ANALYZE {table}")
    return qse, len(controls), len(inspections)


def run(scale: float = 1.0) -> dict:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from controls import report

    figures = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            qse, n_controls, n_inspections = _build(scale)
            figures.update(scale=scale, controls=n_controls, inspections=n_inspections,
                           build_s=round(time.perf_counter() - started, 1))
            start, end = report.default_period()

            def selector():
                report.planned_vs_performed(qse, start=start, end=end)

            selector()
            with CaptureQueriesContext(connection) as ctx:
                selector()
            figures["selector_queries"] = len(ctx)
            figures["selector_median_ms"] = round(_median_ms(selector), 1)
            with override_settings(ALLOWED_HOSTS=["*"]):
                client = Client()
                client.force_login(qse, backend="django.contrib.auth.backends.ModelBackend")

                def page():
                    response = client.get("/controls/report/")
                    assert response.status_code == 200, response.status_code

                page()
                with CaptureQueriesContext(connection) as ctx:
                    page()
                figures["page_queries"] = len(ctx)
                figures["page_median_ms"] = round(_median_ms(page), 1)
            raise _Rollback
    except _Rollback:
        pass
    print("planned-vs-performed", " ".join(f"{k}={v}" for k, v in figures.items()))
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append",
                        help="fraction of the full size (repeat to compare); default 0.01 and 1")
    args = parser.parse_args(argv)
    _setup()
    results = [run(scale) for scale in (args.scale or [0.01, 1.0])]
    if len(results) >= 2:
        small, big = results[0], results[-1]
        print(f"ratio page {big['page_median_ms'] / small['page_median_ms']:.2f}x "
              f"selector {big['selector_median_ms'] / small['selector_median_ms']:.2f}x "
              f"(queries {small['page_queries']} -> {big['page_queries']})")


if __name__ == "__main__":
    main()
