import datetime

from django.utils import timezone

from actions import services
from tests.access.matrix import Route, api_expect, expect


def _actions(org):
    due = timezone.localdate() + datetime.timedelta(days=10)
    common = {
        "actor": org.qse,
        "unit": org.assembly,
        "owner": org.staff,
        "due_on": due,
        "priority": "high",
        "kind": "corrective",
    }
    opened = services.action_open(title="Matrix: open", **common)
    in_progress = services.action_open(title="Matrix: in progress", **common)
    in_progress = services.action_start(actor=org.staff, action=in_progress)
    done = services.action_open(title="Matrix: done", **common)
    done = services.action_start(actor=org.staff, action=done)
    done = services.action_complete(actor=org.staff, action=done, note="Guard refitted.")
    return opened, in_progress, done


# Out of scope: the record's existence is not revealed.
HIDDEN = {"sibling": 404, "outsider": 404, "auditor_expired": 404}
# Doers of the work: the owner (staff) and the unit's managers; auditors read only.
WORKERS = expect(302, **HIDDEN, auditor=403)
MANAGERS_PAGE = expect(403, admin=200, qse=200, manager=200, **HIDDEN)
MANAGERS_POST = expect(403, admin=302, qse=302, manager=302, **HIDDEN)


def routes(org):
    opened, in_progress, done = _actions(org)
    later = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    base = "/actions"
    api = "/api/v1/actions"
    return {
        "actions:action_list": Route(f"{base}/", expect(200)),
        "actions:my_actions": Route(f"{base}/mine/", expect(302)),
        "actions:action_create": Route(f"{base}/new/", expect(403, admin=200, qse=200, manager=200)),
        "actions:due_policy": Route(f"{base}/policy/", expect(403, admin=200)),
        "actions:action_detail": Route(f"{base}/{opened.pk}/", expect(200, **HIDDEN)),
        "actions:action_start": Route(
            f"{base}/{opened.pk}/start/", WORKERS, method="POST", data={"version": opened.version}
        ),
        "actions:action_complete": Route(
            f"{base}/{in_progress.pk}/complete/",
            WORKERS,
            method="POST",
            data={"version": in_progress.version, "note": "Done."},
        ),
        # The owner (staff) holds no verifying role; managers of the unit verify.
        "actions:action_verify": Route(
            f"{base}/{done.pk}/verify/",
            MANAGERS_POST,
            method="POST",
            data={"version": done.version, "effective": "yes", "note": "Checked."},
        ),
        "actions:action_comment": Route(
            f"{base}/{opened.pk}/comment/", WORKERS, method="POST", data={"text": "A comment."}
        ),
        "actions:action_postpone": Route(f"{base}/{opened.pk}/postpone/", MANAGERS_PAGE),
        "actions:action_cancel": Route(f"{base}/{opened.pk}/cancel/", MANAGERS_PAGE),
        "actions:action_reassign": Route(f"{base}/{opened.pk}/reassign/", MANAGERS_PAGE),
        "actions:action_edit": Route(f"{base}/{opened.pk}/edit/", MANAGERS_PAGE),
        "action-list": Route(f"{api}/", api_expect(200)),
        "action-detail": Route(f"{api}/{opened.pk}/", api_expect(200, **HIDDEN)),
        "action-log": Route(f"{api}/{opened.pk}/log/", api_expect(200, **HIDDEN)),
        "action-start": Route(f"{api}/{opened.pk}/start/", api_expect(200, **HIDDEN, auditor=403), method="POST"),
        "action-complete": Route(
            f"{api}/{in_progress.pk}/complete/",
            api_expect(200, **HIDDEN, auditor=403),
            method="POST",
            data={"note": "Done."},
        ),
        "action-verify": Route(
            f"{api}/{done.pk}/verify/",
            api_expect(403, admin=200, qse=200, manager=200, **HIDDEN),
            method="POST",
            data={"effective": "true", "note": "Checked."},
        ),
        "action-postpone": Route(
            f"{api}/{opened.pk}/postpone/",
            api_expect(403, admin=200, qse=200, manager=200, **HIDDEN),
            method="POST",
            data={"new_due_on": later, "reason": "Parts late."},
        ),
        "action-cancel": Route(
            f"{api}/{opened.pk}/cancel/",
            api_expect(403, admin=200, qse=200, manager=200, **HIDDEN),
            method="POST",
            data={"reason": "Duplicate."},
        ),
        "action-reassign": Route(
            f"{api}/{opened.pk}/reassign/",
            api_expect(403, admin=200, qse=200, manager=200, **HIDDEN),
            method="POST",
            data={"owner": org.manager.pk, "reason": "Holidays."},
        ),
        "action-comment": Route(
            f"{api}/{opened.pk}/comment/",
            api_expect(201, **HIDDEN, auditor=403),
            method="POST",
            data={"text": "A comment."},
        ),
        "action-due-policy-list": Route("/api/v1/action-due-policies/", api_expect(200)),
    }
