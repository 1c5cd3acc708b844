"""P3: a service write with history and ledger vs the same plain ORM save; P6: verify_ledger speed."""

import time

from django.db import connection, transaction
from django.utils import timezone

from core import ledger
from core.models import LedgerEntry


def _org():
    from organisation.choices import UnitKind
    from organisation.models import User
    from organisation.services import unit_create

    actor = User.objects.create(username="bench-actor")
    company = unit_create(actor=actor, kind=UnitKind.COMPANY, name="Bench", code="bench")
    site = unit_create(actor=actor, kind=UnitKind.SITE, name="Site", code="bench-site", parent=company)
    return actor, site


def bench_writes(n: int = 1000) -> None:
    from organisation.services import unit_update

    actor, site = _org()
    # Plain ORM save of the same row and change, without history or ledger.
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            site.name = f"plain {i}"
            site.skip_history_when_saving = True
            site.save()
    plain = time.perf_counter() - started
    del site.skip_history_when_saving
    started = time.perf_counter()
    for i in range(n):
        unit_update(actor=actor, unit=site, name=f"service {i}", reason="bench")
    service = time.perf_counter() - started
    print(f"P3 {n} writes: plain ORM save {plain * 1000 / n:.2f} ms each, service (history + ledger) "
          f"{service * 1000 / n:.2f} ms each; ratio {service / plain:.2f}x (target <= 1.5x)")


FILL_SQL = """
INSERT INTO core_ledgerentry (seq, recorded_at, actor_label, event_type, target_type, target_id, unit_path, payload,
                              prev_hash, hash)
WITH RECURSIVE chain(seq, prev, hash) AS (
    SELECT h.last_seq + 1, h.last_hash::text,
           siris_ledger_hash(h.last_hash, h.last_seq + 1, %(at)s, NULL, 'bench', 'BENCH', 'bench.item',
                             (h.last_seq + 1)::text, '/1/', jsonb_build_object('n', h.last_seq + 1))
    FROM core_ledgerhead h WHERE h.id = 1
    UNION ALL
    SELECT c.seq + 1, c.hash,
           siris_ledger_hash(c.hash, c.seq + 1, %(at)s, NULL, 'bench', 'BENCH', 'bench.item', (c.seq + 1)::text,
                             '/1/', jsonb_build_object('n', c.seq + 1))
    FROM chain c WHERE c.seq < %(last)s
)
SELECT seq, %(at)s, 'bench', 'BENCH', 'bench.item', seq::text, '/1/', jsonb_build_object('n', seq), prev, hash
FROM chain
"""


def _fill_ledger(count: int) -> None:
    """Append ``count`` well-chained entries in the database, hashed the way ledger.append hashes them.

    The chain-head trigger is switched off for the fill (one head update at the end instead of one per
    row), as a superuser may; the result is the same chain."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT last_seq FROM core_ledgerhead WHERE id = 1")
        first = cur.fetchone()[0]
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute(FILL_SQL, {"at": timezone.now(), "last": first + count})
        cur.execute("SET LOCAL session_replication_role = origin")
        cur.execute("SELECT seq, hash FROM core_ledgerentry ORDER BY seq DESC LIMIT 1")
        seq, digest = cur.fetchone()
        cur.execute("UPDATE core_ledgerhead SET last_seq = %s, last_hash = %s WHERE id = 1", [seq, digest])


def bench_verify(count: int) -> None:
    started = time.perf_counter()
    _fill_ledger(count)
    print(f"    (filled {count} entries in {time.perf_counter() - started:.1f} s)")
    total = LedgerEntry.objects.count()
    started = time.perf_counter()
    result = ledger.verify()
    elapsed = time.perf_counter() - started
    assert result.ok, result
    print(f"P6 verify_ledger: {total} entries in {elapsed:.2f} s = {total / elapsed:,.0f} entries/s (target >= 50,000/s)")


def run(scale: float) -> None:
    bench_writes(1000)
    bench_verify(max(10_000, int(1_000_000 * scale)))
