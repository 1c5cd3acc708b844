"""Two people acting on the same action at the same moment: one wins, the other gets a conflict."""

import threading

import pytest
from django.db import connections

from actions import services
from actions.models import Action, ActionUpdate
from core.exceptions import ConflictError


@pytest.mark.django_db(transaction=True)
def test_two_connections_completing_at_once(org, make_action):
    action = make_action(owner=org.manager, contributors=[org.staff])
    action = services.action_start(actor=org.manager, action=action)
    seen = action.version
    barrier = threading.Barrier(2)
    results = []

    def complete(person, note):
        try:
            barrier.wait(timeout=10)
            services.action_complete(actor=person, action=Action(pk=action.pk), note=note, version=seen)
            results.append("won")
        except ConflictError as exc:
            results.append(f"conflict: {exc.messages[0]}")
        finally:
            connections.close_all()  # each thread has its own database connection

    threads = [
        threading.Thread(target=complete, args=(org.manager, "By the manager")),
        threading.Thread(target=complete, args=(org.staff, "By the staff member")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r[:8] for r in results) == ["conflict", "won"], results
    assert ActionUpdate.objects.filter(action_id=action.pk, kind="completed").count() == 1
    assert Action.objects.get(pk=action.pk).version == seen + 1
