from tests.access.matrix import Route, api_expect, expect


def routes(org):
    from risks import services

    risk = services.risk_create(
        actor=org.qse, unit=org.assembly, title="Access risk", hazard="Noise", owner=org.manager
    )
    assessment = services.risk_assess(
        actor=org.qse,
        risk=risk,
        assessed_on=risk.created_at.date(),
        inherent_likelihood=2,
        inherent_severity=2,
        residual_likelihood=1,
        residual_severity=2,
        rationale="r",
    )
    matrix = assessment.matrix
    # Assembly and Lyon roles see the Assembly risk; Paint and Warehouse staff and expired auditors do not.
    seen = {"outsider": 404, "sibling": 404, "auditor_expired": 404}
    writers = {"admin": 200, "qse": 200}
    assess_data = {"assessed_on": "2000-01-01", "inherent_likelihood": 9}  # refused: re-rendered form (200)
    return {
        # Outsider (Warehouse) sees the register of their own unit; an expired auditor sees no unit at all.
        "risks:register": Route("/risks/", expect(200, auditor_expired=403)),
        "risks:risk_create": Route("/risks/new/", expect(403, **writers)),
        "risks:risk_detail": Route(f"/risks/{risk.pk}/", expect(200, **seen)),
        "risks:risk_edit": Route(f"/risks/{risk.pk}/edit/", expect(403, **seen, **writers)),
        "risks:risk_assess": Route(
            f"/risks/{risk.pk}/assess/", expect(403, **seen, **writers), method="POST", data=assess_data
        ),
        "risks:matrix": Route("/risks/matrix/", expect(200, auditor_expired=404)),
        "risks:matrix_edit": Route("/risks/matrix/new-version/", expect(403, admin=200, auditor_expired=404)),
        "risks:duerp": Route(f"/risks/duerp/?unit={org.lyon.pk}", expect(200, auditor_expired=403)),
        "risk-list": Route("/api/v1/risks/", api_expect(200)),
        "risk-detail": Route(f"/api/v1/risks/{risk.pk}/", api_expect(200, **seen)),
        "risk-heat-map": Route("/api/v1/risks/heat-map/", api_expect(200, auditor_expired=404)),
        "risk-assess": Route(
            f"/api/v1/risks/{risk.pk}/assess/",
            api_expect(403, **seen, admin=400, qse=400),
            method="POST",
            data=assess_data,
        ),
        "risk-change": Route(
            f"/api/v1/risks/{risk.pk}/change/",
            api_expect(403, **seen, admin=200, qse=200),
            method="POST",
            data={"title": "Renamed"},
        ),
        "risk-assessment-list": Route("/api/v1/risk-assessments/", api_expect(200)),
        "risk-assessment-detail": Route(f"/api/v1/risk-assessments/{assessment.pk}/", api_expect(200, **seen)),
        "risk-matrix-list": Route("/api/v1/risk-matrices/", api_expect(200)),
        "risk-matrix-detail": Route(f"/api/v1/risk-matrices/{matrix.pk}/", api_expect(200, auditor_expired=404)),
    }
