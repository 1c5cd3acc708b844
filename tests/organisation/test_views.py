import pytest

from organisation.choices import Role
from organisation.models import Membership, Unit, User
from organisation.services import membership_grant, person_create

pytestmark = pytest.mark.django_db


def test_admin_creates_a_unit_from_the_screen(org, client_for):
    client = client_for(org.admin)
    response = client.post("/organisation/units/new/", {"kind": "work_unit", "name": "Press", "code": "press",
                                                         "parent": org.lyon.pk})
    unit = Unit.objects.get(code="press")
    assert response.status_code == 302 and response.url == f"/organisation/units/{unit.pk}/"
    page = client.get(response.url).content.decode()
    assert "Press" in page and "Unit created" in page  # the timeline shows the event


def test_a_refused_form_keeps_what_was_typed_and_says_why(org, client_for):
    response = client_for(org.admin).post(
        "/organisation/units/new/", {"kind": "site", "name": "Typed name", "code": "typed", "parent": org.lyon.pk}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "cannot be placed under" in form.errors["parent"][0]
    assert 'value="Typed name"' in response.content.decode()
    assert not Unit.objects.filter(code="typed").exists()


def test_moving_a_unit_under_its_descendant_is_refused_on_screen(org, client_for):
    response = client_for(org.admin).post(
        f"/organisation/units/{org.lyon.pk}/edit/",
        {"kind": "site", "name": "Lyon", "code": "lyon", "parent": org.assembly.pk, "reason": ""},
    )
    assert response.status_code == 200
    assert "A site cannot be placed under" in response.context["form"].errors["parent"][0] or \
        "own units" in response.context["form"].errors["parent"][0]


def test_admin_creates_a_person_with_a_first_role(org, client_for):
    response = client_for(org.admin).post("/organisation/people/new/", {
        "username": "newbie", "first_name": "New", "last_name": "Bie", "email": "newbie@acme.test",
        "language": "fr", "time_zone": "Europe/Paris", "manager": org.manager.pk, "unit": org.assembly.pk,
        "role": Role.STAFF,
    })
    person = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert person.memberships.get().unit == org.assembly
    assert not person.has_usable_password()


def test_auditor_grant_screen_requires_an_end_date(org, client_for):
    response = client_for(org.admin).post("/organisation/auditors/new/", {
        "user": org.outsider.pk, "unit": org.lyon.pk, "role": Role.AUDITOR, "starts_on": "2026-12-01",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert not Membership.objects.filter(user=org.outsider, role=Role.AUDITOR).exists()


def test_membership_ending_before_start_is_refused_on_screen(org, client_for):
    response = client_for(org.admin).post("/organisation/roles/new/", {
        "user": org.staff.pk, "unit": org.paint.pk, "role": Role.STAFF, "starts_on": "2026-12-10",
        "ends_on": "2026-12-01",
    })
    assert response.context["form"].errors["ends_on"] == ["The end date is before the start date."]


def test_people_list_csv_exports_what_is_shown(org, client_for):
    response = client_for(org.admin).get("/organisation/people/?q=sam&format=csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Sam Staff" in body and "Olga" not in body


def _add_people(org, n):
    for i in range(n):
        person = person_create(actor=org.root, username=f"p{n}_{i}", email=f"p{n}_{i}@acme.test",
                               first_name="P", last_name=str(i), manager=org.manager)
        membership_grant(actor=org.root, user=person, unit=org.paint, role=Role.STAFF)


@pytest.mark.parametrize("extra", [5, 60])
def test_people_list_query_count_does_not_grow(org, client_for, django_assert_max_num_queries, extra):
    _add_people(org, extra)
    client = client_for(org.admin)
    with django_assert_max_num_queries(12):
        assert client.get("/organisation/people/").status_code == 200


def test_unit_tree_and_dashboard_query_counts_do_not_grow(org, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(org.admin)
    counts = []
    for extra in (5, 40):
        _add_people(org, extra)
        seen = []
        for path in ("/organisation/units/", "/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200
            seen.append(len(ctx.captured_queries))
        counts.append(seen)
    assert counts[0] == counts[1], counts


def test_pages_render_in_french(org, client_for):
    from organisation.services import person_set_preferences

    person_set_preferences(actor=org.qse, person=org.qse, language="fr")
    page = client_for(org.qse).get("/").content.decode()
    assert 'lang="fr"' in page and "Mon travail" in page
