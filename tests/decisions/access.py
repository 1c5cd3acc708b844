"""Access matrix of the decisions app: decisions (submitted and draft) and an alarm on Assembly."""

from tests.access.matrix import Route, api_expect, expect
from tests.decisions.helpers import alarm, decision
from tests.personas import PASSWORD

HIDDEN = {"sibling": 404, "outsider": 404, "auditor_expired": 404}


def routes(org):
    submitted = decision(org, submit=True)  # by qse, approver manager
    draft = decision(org, subject="A draft")
    warning = alarm(org)  # by qse to manager
    d, dr, a = submitted.pk, draft.pk, warning.pk
    writers_only = expect(403, admin=200, qse=200, manager=200)
    seen = dict(HIDDEN)
    author_or_manage = expect(403, admin=302, qse=302, **seen)
    alarm_hidden = {"staff": 404, **HIDDEN}
    return {
        "decisions:decision_list": Route("/decisions/", expect(200)),
        "decisions:decision_create": Route("/decisions/new/", writers_only),
        "decisions:decision_detail": Route(f"/decisions/{d}/", expect(200, **seen)),
        "decisions:decision_edit": Route(f"/decisions/{dr}/edit/", expect(403, admin=200, qse=200, **seen)),
        "decisions:decision_submit": Route(f"/decisions/{dr}/submit/", author_or_manage, method="POST"),
        "decisions:decision_sign": Route(f"/decisions/{d}/sign/", expect(403, manager=302, **seen), method="POST",
                                         data={"password": PASSWORD, "verdict": "approve"}),
        "decisions:decision_withdraw": Route(f"/decisions/{dr}/withdraw/", author_or_manage, method="POST",
                                             data={"reason": "test"}),
        "decisions:decision_revise": Route(f"/decisions/{d}/revise/", author_or_manage, method="POST"),
        "decisions:alarm_list": Route("/decisions/alarms/", expect(200)),
        "decisions:alarm_create": Route("/decisions/alarms/new/", expect(403, admin=200, qse=200)),
        "decisions:alarm_detail": Route(f"/decisions/alarms/{a}/", expect(200, **alarm_hidden)),
        "decisions:alarm_acknowledge": Route(f"/decisions/alarms/{a}/acknowledge/", expect(404, manager=302),
                                             method="POST"),
        "decisions:alarm_answer": Route(f"/decisions/alarms/{a}/answer/", expect(404, manager=302), method="POST",
                                        data={"answer": "We stop the press."}),
        # The author without an answer yet is told to withdraw instead (a message, then back to the page).
        "decisions:alarm_close": Route(f"/decisions/alarms/{a}/close/", expect(403, qse=302, **alarm_hidden),
                                       method="POST"),
        "decisions:alarm_withdraw": Route(f"/decisions/alarms/{a}/withdraw/", expect(403, qse=302, **alarm_hidden),
                                          method="POST", data={"reason": "test"}),
        "decision-list": Route("/api/v1/decisions/", api_expect(200)),
        "decision-detail": Route(f"/api/v1/decisions/{d}/", api_expect(200, **seen)),
        "decision-edit": Route(f"/api/v1/decisions/{dr}/edit/", api_expect(403, admin=200, qse=200, **seen),
                               method="POST"),
        "decision-submit": Route(f"/api/v1/decisions/{dr}/submit/", api_expect(403, admin=200, qse=200, **seen),
                                 method="POST"),
        "decision-sign": Route(f"/api/v1/decisions/{d}/sign/", api_expect(403, manager=200, **seen), method="POST",
                               data={"approve": "true", "password": PASSWORD}),
        "decision-withdraw": Route(f"/api/v1/decisions/{dr}/withdraw/", api_expect(403, admin=200, qse=200, **seen),
                                   method="POST", data={"reason": "test"}),
        "decision-revise": Route(f"/api/v1/decisions/{d}/revise/", api_expect(403, admin=201, qse=201, **seen),
                                 method="POST"),
        "alarm-list": Route("/api/v1/alarms/", api_expect(200)),
        "alarm-detail": Route(f"/api/v1/alarms/{a}/", api_expect(200, **alarm_hidden)),
        "alarm-acknowledge": Route(f"/api/v1/alarms/{a}/acknowledge/", api_expect(404, manager=200), method="POST"),
        "alarm-answer": Route(f"/api/v1/alarms/{a}/answer/", api_expect(404, manager=200), method="POST",
                              data={"answer": "We stop the press."}),
        "alarm-close": Route(f"/api/v1/alarms/{a}/close/", api_expect(403, qse=400, **alarm_hidden), method="POST"),
        "alarm-withdraw": Route(f"/api/v1/alarms/{a}/withdraw/", api_expect(403, qse=200, **alarm_hidden),
                                method="POST", data={"reason": "test"}),
    }
