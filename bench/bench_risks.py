"""P1/P2 for risks: the register page, its CSV, the heat-map API and the risk list API at the full
scale (10,000 risks) against 1% of it, timed in-process with the test client (median of 20).

    python -m bench.run --only risks --scale 1

Data is written with ``bulk_create_with_history`` (history rows, as the services would write) and ids
taken from the sequences beforehand, so each risk points at its current assessment from the start
(foreign keys are checked at commit). One ledger entry records the generated batch.
"""

from __future__ import annotations

import random
import time

from bench.timing import logged_in_client, median_ms


def _ids(table: str, n: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [n])
        return [row[0] for row in cur.fetchall()]


def _seed(actor, unit, owner, matrix, n: int, rng: random.Random) -> None:
    import datetime

    from django.db import transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from core.services import record_event
    from risks.models import Assessment, Risk

    today = timezone.localdate()
    with transaction.atomic():
        risk_ids, assessment_ids = _ids("risks_risk", n), _ids("risks_assessment", n)
        risks, assessments = [], []
        for i, (rid, aid) in enumerate(zip(risk_ids, assessment_ids, strict=True)):
            assessed = i % 10 != 0  # one risk in ten not assessed yet
            risks.append(
                Risk(
                    id=rid,
                    unit=unit,
                    title=f"Risk {i}",
                    hazard=f"Hazard {i}",
                    owner=owner,
                    category=rng.choice(["safety", "health", "environment", "quality"]),
                    next_review_on=today + datetime.timedelta(days=rng.randint(-60, 300)),
                    current_assessment_id=aid if assessed else None,
                    created_by=actor,
                )
            )
            if assessed:
                il, is_ = rng.randint(1, 4), rng.randint(1, 4)
                rl, rs = rng.randint(1, il), rng.randint(1, is_)
                assessments.append(
                    Assessment(
                        id=aid,
                        risk_id=rid,
                        matrix=matrix,
                        assessed_on=today - datetime.timedelta(days=rng.randint(0, 300)),
                        assessor=actor,
                        inherent_likelihood=il,
                        inherent_severity=is_,
                        residual_likelihood=rl,
                        residual_severity=rs,
                        inherent_score=il * is_,
                        residual_score=rl * rs,
                        inherent_level=matrix.level_for(il * is_),
                        residual_level=matrix.level_for(rl * rs),
                        rationale="bench",
                        recorded_by=actor,
                    )
                )
        bulk_create_with_history(risks, Risk, batch_size=2000, default_user=actor, default_change_reason="bench")
        bulk_create_with_history(
            assessments, Assessment, batch_size=2000, default_user=actor, default_change_reason="bench"
        )
        record_event(
            actor=actor,
            event_type="BENCH_RISKS_GENERATED",
            target=unit,
            payload={"risks": len(risks), "assessments": len(assessments)},
        )


def run(scale: float = 1.0):
    from django.utils import timezone

    from organisation.choices import Role, UnitKind
    from organisation.models import User
    from organisation.services import membership_grant, unit_create
    from risks import services

    big = max(100, int(10_000 * scale))
    small = max(10, big // 100)
    stamp = timezone.now().strftime("%H%M%S%f")
    rng = random.Random(4)
    root = User.objects.create_superuser(f"benchr{stamp}", f"r{stamp}@bench.test", None)
    company = unit_create(actor=root, kind=UnitKind.COMPANY, name="Bench", code=f"rb-{stamp}")
    site = unit_create(actor=root, kind=UnitKind.SITE, name="Site", code=f"rb-site-{stamp}", parent=company)
    qse = User.objects.create_user(f"benchrq{stamp}", f"rq{stamp}@bench.test")
    membership_grant(actor=root, user=qse, unit=company, role=Role.QSE_MANAGER)
    matrix = services.risk_matrix_ensure(actor=root, company=company)
    client = logged_in_client(qse)
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    results = {}
    for label, size in (("small", small), ("big", big)):
        unit = unit_create(actor=root, kind=UnitKind.WORK_UNIT, name=label, code=f"rb-{label}-{stamp}", parent=site)
        started = time.perf_counter()
        _seed(root, unit, qse, matrix, size, rng)
        seeded = time.perf_counter() - started
        pages = {
            "register": f"/risks/?unit={unit.pk}&sort=level",
            "register cell": f"/risks/?unit={unit.pk}&cell=residual-2-2",
            "heat-map API": f"/api/v1/risks/heat-map/?unit={unit.pk}",
            "risk list API (100)": f"/api/v1/risks/?unit={unit.pk}&page_size=100",
        }
        client.get(pages["register"])
        row = {}
        for name, url in pages.items():
            row[name] = median_ms(lambda url=url: client.get(url))
        started = time.perf_counter()
        response = client.get(f"/risks/?unit={unit.pk}&format=csv")
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
        csv_s = time.perf_counter() - started
        results[label] = row
        print(f"{label}: {size:>6} risks seeded in {seeded:5.1f} s; CSV of {lines} rows in {csv_s:5.2f} s")
        for name, (ms, queries) in row.items():
            print(f"   {name:<22} median {ms:7.1f} ms, {queries} queries")
    for name in results["big"]:
        (b_ms, b_q), (s_ms, s_q) = results["big"][name], results["small"][name]
        print(
            f"{name:<22} big/small time {b_ms / s_ms:5.2f}x (target <= 1.5x), queries {s_q} vs {b_q} "
            f"(target: equal), big median {b_ms:.1f} ms (target < 150 ms)"
        )
    return results
