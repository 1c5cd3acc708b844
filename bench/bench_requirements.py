"""Bench: communicating to N people, and the tracking page at two audience sizes.

    run(scale)  # scale 1 = 5,000 people; prints figures (the lead wires it into `make bench`)

Run it against a throw-away database: it creates people, units and requirements.
"""

import datetime
import statistics
import time


def _people(root, unit, count, prefix):
    from django.contrib.auth.hashers import make_password
    from simple_history.utils import bulk_create_with_history

    from organisation.choices import Role
    from organisation.models import Membership, User

    password = make_password(None)
    users = bulk_create_with_history(
        [
            User(
                username=f"{prefix}{i}",
                email=f"{prefix}{i}@bench.test",
                first_name="B",
                last_name=f"{i:05}",
                password=password,
            )
            for i in range(count)
        ],
        User,
        batch_size=1000,
        default_user=root,
    )
    bulk_create_with_history(
        [Membership(user=u, unit=unit, role=Role.STAFF) for u in users], Membership, batch_size=1000, default_user=root
    )


def _tracking_ms(client, url, repeat=20):
    from django.db import connection

    assert client.get(url).status_code == 200
    times, seen = [], []
    # request_started resets connection.queries, so count with an execute wrapper instead.
    with connection.execute_wrapper(lambda execute, sql, params, many, context: seen.append(sql) or execute(
            sql, params, many, context)):
        client.get(url)
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(seen)


def run(scale: float = 1.0):
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from organisation.choices import Role, UnitKind
    from organisation.models import User
    from organisation.services import membership_grant, unit_create
    from requirements import services

    big = max(50, int(5000 * scale))
    small = max(10, big // 100)
    stamp = timezone.now().strftime("%H%M%S%f")
    root = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        f"bench{stamp}", f"bench{stamp}@bench.test", None
    )
    company = unit_create(actor=root, kind=UnitKind.COMPANY, name="Bench", code=f"bench-{stamp}")
    site = unit_create(actor=root, kind=UnitKind.SITE, name="Site", code=f"bench-site-{stamp}", parent=company)
    results = {}
    qse = User.objects.create_user(f"benchqse{stamp}", f"q{stamp}@bench.test")
    membership_grant(actor=root, user=qse, unit=site, role=Role.QSE_MANAGER)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(qse, backend="django.contrib.auth.backends.ModelBackend")
    for label, size in (("small", small), ("big", big)):
        unit = unit_create(actor=root, kind=UnitKind.WORK_UNIT, name=label, code=f"bench-{label}-{stamp}", parent=site)
        _people(root, unit, size, f"b{stamp}{label}")
        req = services.requirement_create(
            actor=qse, unit=site, reference=f"B-{label}-{stamp}", title="Bench", owner=qse, text="Bench text"
        )
        version = services.version_approve(actor=qse, version=req.versions.get())
        start = time.perf_counter()
        with transaction.atomic():
            comm = services.requirement_communicate(
                actor=qse, version=version, units=[unit], due_on=timezone.localdate() + datetime.timedelta(days=7)
            )
            transaction.on_commit(lambda: None)
        seconds = time.perf_counter() - start
        median, queries = _tracking_ms(client, f"/requirements/communications/{comm.pk}/")
        results[label] = (size, seconds, median, queries)
        print(
            f"communicate to {size:>5} people: {seconds:6.2f} s ({size / seconds:,.0f} requests/s); "
            f"tracking page median {median:6.1f} ms, {queries} queries"
        )
    ratio = results["big"][2] / results["small"][2] if results["small"][2] else float("nan")
    print(
        f"tracking page big/small time ratio: {ratio:.2f} (target ≤ 1.5); queries {results['small'][3]} vs "
        f"{results['big'][3]} (target: equal)"
    )
    return results


if __name__ == "__main__":
    import django

    django.setup()
    run(1.0)
