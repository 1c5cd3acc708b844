from tests.access.matrix import Route, api_expect, expect

ADMIN_ONLY = expect(403, admin=200)
# Someone else's record in Warehouse (Lille): only the administrator and the person see it exists.
OUTSIDER_RECORD = expect(404, admin=200, outsider=403)


def routes(org):
    assembly_staff = org.staff.memberships.get()
    warehouse = org.warehouse
    return {
        "organisation:unit_list": Route("/organisation/units/", ADMIN_ONLY),
        "organisation:unit_create": Route("/organisation/units/new/", ADMIN_ONLY),
        # Units in scope but without the administrator role: 403; out of scope: 404.
        "organisation:unit_detail": Route(
            f"/organisation/units/{org.assembly.pk}/", expect(403, admin=200, outsider=404, sibling=404,
                                                              auditor_expired=404)),
        "organisation:unit_edit": Route(
            f"/organisation/units/{warehouse.pk}/edit/", expect(404, admin=200, outsider=403)),
        "organisation:person_list": Route("/organisation/people/", ADMIN_ONLY),
        "organisation:person_create": Route("/organisation/people/new/", ADMIN_ONLY),
        "organisation:person_detail": Route(f"/organisation/people/{org.outsider.pk}/", OUTSIDER_RECORD),
        "organisation:person_edit": Route(f"/organisation/people/{org.outsider.pk}/edit/", OUTSIDER_RECORD),
        "organisation:person_deactivate": Route(
            f"/organisation/people/{org.outsider.pk}/deactivate/", expect(404, admin=302, outsider=403),
            method="POST", data={"reason": ""}),
        "organisation:membership_create": Route("/organisation/roles/new/", ADMIN_ONLY),
        "organisation:membership_end": Route(
            f"/organisation/roles/{assembly_staff.pk}/end/", expect(403, admin=302, outsider=404, sibling=404,
                                                                   auditor_expired=404),
            method="POST", data={"reason": "test", "next": "/"}),
        "organisation:auditor_list": Route("/organisation/auditors/", ADMIN_ONLY),
        "organisation:auditor_grant": Route("/organisation/auditors/new/", ADMIN_ONLY),
        "unit-list": Route("/api/v1/units/", api_expect(200)),
        "unit-detail": Route(f"/api/v1/units/{org.assembly.pk}/",
                             api_expect(200, outsider=404, sibling=404, auditor_expired=404)),
        "person-list": Route("/api/v1/people/", api_expect(200)),
        "person-detail": Route(f"/api/v1/people/{org.staff.pk}/",
                               api_expect(200, outsider=404, sibling=404, auditor_expired=404)),
        "membership-list": Route("/api/v1/memberships/", api_expect(200)),
        "membership-detail": Route(f"/api/v1/memberships/{assembly_staff.pk}/",
                                   api_expect(200, outsider=404, sibling=404, auditor_expired=404)),
        "membership-end": Route(f"/api/v1/memberships/{assembly_staff.pk}/end/",
                                api_expect(403, admin=200, outsider=404, sibling=404, auditor_expired=404),
                                method="POST"),
    }
