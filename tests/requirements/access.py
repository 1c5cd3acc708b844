import datetime

from django.utils import timezone

from organisation.choices import UnitKind
from requirements import services
from requirements.choices import SourceKind
from requirements.links import make_token
from tests.access.matrix import Route, api_expect, expect

# The requirement is kept in Lyon: admin (company), qse and auditor (Lyon) see it; people of the
# work units below see only their own requests; the rest get 404.
LYON_VIEW = expect(404, admin=200, qse=200, auditor=200)
LYON_EDIT = expect(404, admin=200, qse=200, auditor=403)
EDITORS = expect(403, admin=200, qse=200)
API_VIEW = api_expect(404, admin=200, qse=200, auditor=200)


def build(org):
    today = timezone.localdate()
    source = services.source_create(
        actor=org.qse, unit=org.lyon, kind=SourceKind.LAW, reference="CT L4121-1", title="General safety duty"
    )
    req = services.requirement_create(
        actor=org.qse,
        unit=org.lyon,
        reference="R-1",
        title="Safety duty",
        owner=org.qse,
        text="Be safe.",
        source=source,
    )
    version = services.version_approve(actor=org.qse, version=req.versions.get())
    draft_req = services.requirement_create(
        actor=org.qse, unit=org.lyon, reference="R-2", title="Draft", owner=org.qse, text="Draft text."
    )
    comm = services.requirement_communicate(
        actor=org.qse, version=version, units=[org.assembly], due_on=today + datetime.timedelta(days=7)
    )
    ack = comm.acknowledgements.get(person=org.staff)
    appl = services.applicability_set(
        actor=org.qse, requirement=req, unit=org.paint, applicable=False, reason="No such work there"
    )
    evaluation = services.evaluation_record(actor=org.qse, requirement=req, unit=org.assembly, result="compliant")
    assert org.lyon.kind == UnitKind.SITE
    return source, req, draft_req.versions.get(), comm, ack, appl, evaluation


def routes(org):
    source, req, draft, comm, ack, appl, evaluation = build(org)
    mine = expect(404, staff=302)
    return {
        "requirements:requirement_list": Route("/requirements/", expect(200)),
        "requirements:requirement_create": Route("/requirements/new/", EDITORS),
        "requirements:requirement_import": Route("/requirements/import/", EDITORS),
        "requirements:requirement_detail": Route(f"/requirements/{req.pk}/", LYON_VIEW),
        "requirements:requirement_edit": Route(f"/requirements/{req.pk}/edit/", LYON_EDIT),
        "requirements:version_create": Route(f"/requirements/{req.pk}/versions/new/", LYON_EDIT),
        "requirements:applicability_edit": Route(f"/requirements/{req.pk}/applicability/", LYON_EDIT),
        "requirements:evaluation_create": Route(f"/requirements/{req.pk}/evaluations/new/", LYON_EDIT),
        "requirements:communicate": Route(f"/requirements/{req.pk}/communicate/", LYON_EDIT),
        "requirements:version_edit": Route(f"/requirements/versions/{draft.pk}/edit/", LYON_EDIT),
        "requirements:version_approve": Route(
            f"/requirements/versions/{draft.pk}/approve/", expect(404, admin=302, qse=302, auditor=403), method="POST"
        ),
        "requirements:source_list": Route("/requirements/sources/", expect(200)),
        "requirements:source_create": Route("/requirements/sources/new/", EDITORS),
        "requirements:source_edit": Route(f"/requirements/sources/{source.pk}/edit/", LYON_EDIT),
        "requirements:communication_detail": Route(f"/requirements/communications/{comm.pk}/", LYON_VIEW),
        "requirements:communication_close": Route(
            f"/requirements/communications/{comm.pk}/close/",
            expect(404, admin=302, qse=302, auditor=403),
            method="POST",
        ),
        "requirements:my_requests": Route("/requirements/mine/", expect(200)),
        # One's own request, or one in scope; the manager of the same unit has their own request only.
        "requirements:ack_detail": Route(
            f"/requirements/acknowledgements/{ack.pk}/", expect(404, admin=200, qse=200, auditor=200, staff=200)
        ),
        "requirements:ack_answer": Route(
            f"/requirements/acknowledgements/{ack.pk}/answer/", mine, method="POST", data={"answer": "confirm"}
        ),
        "requirements:ack_exempt": Route(
            f"/requirements/acknowledgements/{ack.pk}/exempt/",
            expect(404, admin=302, qse=302, auditor=403),
            method="POST",
            data={"reason": "On leave"},
        ),
        # The e-mailed link needs no log-in: whoever holds it sees that one request only.
        "requirements:ack_link": Route(f"/requirements/link/{make_token(ack)}/", expect(200, anonymous=200)),
        "requirement-source-list": Route("/api/v1/requirement-sources/", api_expect(200)),
        "requirement-source-detail": Route(f"/api/v1/requirement-sources/{source.pk}/", API_VIEW),
        "requirement-list": Route("/api/v1/requirements/", api_expect(200)),
        "requirement-detail": Route(f"/api/v1/requirements/{req.pk}/", API_VIEW),
        "requirement-version-list": Route("/api/v1/requirement-versions/", api_expect(200)),
        "requirement-version-detail": Route(f"/api/v1/requirement-versions/{draft.pk}/", API_VIEW),
        "requirement-version-approve": Route(
            f"/api/v1/requirement-versions/{draft.pk}/approve/",
            api_expect(404, admin=200, qse=200, auditor=403),
            method="POST",
        ),
        "requirement-applicability-list": Route("/api/v1/requirement-applicability/", api_expect(200)),
        "requirement-applicability-detail": Route(f"/api/v1/requirement-applicability/{appl.pk}/", API_VIEW),
        "requirement-evaluation-list": Route("/api/v1/requirement-evaluations/", api_expect(200)),
        "requirement-evaluation-detail": Route(f"/api/v1/requirement-evaluations/{evaluation.pk}/", API_VIEW),
        "communication-list": Route("/api/v1/communications/", api_expect(200)),
        "communication-detail": Route(f"/api/v1/communications/{comm.pk}/", API_VIEW),
        "acknowledgement-list": Route("/api/v1/acknowledgements/", api_expect(200)),
        "acknowledgement-detail": Route(
            f"/api/v1/acknowledgements/{ack.pk}/", api_expect(404, admin=200, qse=200, auditor=200, staff=200)
        ),
        "acknowledgement-acknowledge": Route(
            f"/api/v1/acknowledgements/{ack.pk}/acknowledge/", api_expect(404, staff=200), method="POST"
        ),
        "acknowledgement-decline": Route(
            f"/api/v1/acknowledgements/{ack.pk}/decline/",
            api_expect(404, staff=200),
            method="POST",
            data={"reason": "Not my job"},
        ),
        "acknowledgement-exempt": Route(
            f"/api/v1/acknowledgements/{ack.pk}/exempt/",
            api_expect(404, admin=200, qse=200, auditor=403),
            method="POST",
            data={"reason": "On leave"},
        ),
    }
