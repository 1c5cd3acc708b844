import datetime

from django.utils import timezone

from controls.services import inspection_record
from tests.access.matrix import Route, api_expect, expect
from tests.controls.helpers import make_control, ok_answers

# In scope: admin (company), qse and auditor (Lyon), manager and staff (Assembly). Sibling (Paint),
# outsider (Lille) and the expired auditor cannot see the Assembly control: 404.
HIDDEN = {"sibling": 404, "outsider": 404, "auditor_expired": 404}
MANAGE = expect(403, admin=200, qse=200, **HIDDEN)
INSPECT = expect(403, admin=200, qse=200, manager=200, **HIDDEN)
VIEW = expect(200, **HIDDEN)


def routes(org):
    control = make_control(org, title="Access matrix control")
    inspection = inspection_record(actor=org.manager, control=control, performed_at=timezone.now(),
                                   result="pass", answers=ok_answers(control))
    c, i = control.pk, inspection.pk
    later = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    return {
        "controls:control_list": Route("/controls/", expect(200)),
        "controls:control_create": Route("/controls/new/", expect(403, admin=200, qse=200)),
        "controls:control_detail": Route(f"/controls/{c}/", VIEW),
        "controls:control_edit": Route(f"/controls/{c}/edit/", MANAGE),
        "controls:control_checklist": Route(f"/controls/{c}/checklist/", MANAGE),
        "controls:control_links": Route(f"/controls/{c}/links/", MANAGE),
        "controls:control_reschedule": Route(f"/controls/{c}/reschedule/", MANAGE),
        "controls:control_retire": Route(f"/controls/{c}/retire/", expect(403, admin=302, qse=302, **HIDDEN),
                                         method="POST", data={"reason": "matrix"}),
        "controls:inspection_create": Route(f"/controls/{c}/inspect/", INSPECT),
        "controls:inspection_list": Route("/controls/inspections/", expect(200)),
        "controls:inspection_detail": Route(f"/controls/inspections/{i}/", VIEW),
        "controls:inspection_correct": Route(f"/controls/inspections/{i}/correct/", INSPECT),
        "controls:report": Route("/controls/report/", expect(200)),
        "control-list": Route("/api/v1/controls/", api_expect(200)),
        "control-detail": Route(f"/api/v1/controls/{c}/", api_expect(200, **HIDDEN)),
        # Form-encoded bodies cannot carry the item list: past the permission check it is a 400.
        "control-checklist": Route(f"/api/v1/controls/{c}/checklist/",
                                   api_expect(403, admin=400, qse=400, **HIDDEN), method="POST"),
        "control-reschedule": Route(f"/api/v1/controls/{c}/reschedule/",
                                    api_expect(403, admin=200, qse=200, **HIDDEN), method="POST",
                                    data={"next_due_on": later, "reason": "matrix"}),
        "control-retire": Route(f"/api/v1/controls/{c}/retire/", api_expect(403, admin=200, qse=200, **HIDDEN),
                                method="POST", data={"reason": "matrix"}),
        "inspection-list": Route("/api/v1/inspections/", api_expect(200)),
        "inspection-detail": Route(f"/api/v1/inspections/{i}/", api_expect(200, **HIDDEN)),
        "inspection-correct": Route(f"/api/v1/inspections/{i}/correct/",
                                    api_expect(403, admin=400, qse=400, manager=400, **HIDDEN), method="POST"),
        "controls-report": Route("/api/v1/controls-report/", api_expect(200)),
    }
