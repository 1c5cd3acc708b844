import datetime

import pytest
from django.utils import timezone

from core.models import ChasedItem, LedgerEntry
from reminders.choices import NotificationKind
from reminders.models import Notification, ReminderPolicy

pytestmark = pytest.mark.django_db


def notify(org, person, count, *, title="Guard"):
    rows = []
    for i in range(count):
        item = ChasedItem.objects.create(
            kind="action",
            target_type="tests.thing",
            target_id=f"{person.pk}-{i}-{title}",
            recipient=person,
            unit_path=org.assembly.path,
            title=f"{title} {i}",
            url=f"/things/{i}/",
            due_at=timezone.now() + datetime.timedelta(days=2),
        )
        rows.append(
            Notification.objects.create(item=item, recipient=person, kind=NotificationKind.REMINDER, sequence=1)
        )
    return rows


def test_inbox_lists_own_notifications_and_the_bell_counts_unread(org, client_for):
    notify(org, org.staff, 3)
    notify(org, org.sibling, 2, title="Other")
    response = client_for(org.staff).get("/reminders/inbox/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Guard 0" in body and "Other 0" not in body
    assert response.context["siris_inbox_unread"] == 3
    assert response.context["siris_inbox_url"] == "/reminders/inbox/"


def test_opening_a_notification_marks_it_read_and_goes_to_the_page(org, client_for):
    note = notify(org, org.staff, 1)[0]
    response = client_for(org.staff).get(f"/reminders/inbox/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/things/0/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_and_mark_all_read(org, client_for):
    first, second, third = notify(org, org.staff, 3)
    client = client_for(org.staff)
    assert (
        client.post(f"/reminders/inbox/{first.pk}/read/", {"next": "/reminders/inbox/?show=unread"})["Location"]
        == "/reminders/inbox/?show=unread"
    )
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    response = client.get("/reminders/inbox/?show=unread")
    assert len(response.context["page_obj"].object_list) == 2
    client.post("/reminders/inbox/read-all/", {"next": "https://evil.example/"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_a_404(org, client_for):
    note = notify(org, org.staff, 1)[0]
    assert client_for(org.sibling).post(f"/reminders/inbox/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("rows", [5, 50])
def test_inbox_query_count_does_not_grow_with_rows(org, client_for, django_assert_max_num_queries, rows):
    notify(org, org.staff, rows)
    client = client_for(org.staff)
    client.get("/reminders/inbox/")
    with django_assert_max_num_queries(12):
        assert client.get("/reminders/inbox/").status_code == 200


def test_policy_list_shows_defaults_and_company_rules(org, client_for):
    response = client_for(org.admin).get("/reminders/policies/")
    assert response.status_code == 200
    rows = {r.kind: r for r in response.context["rows"]}
    assert rows["acknowledgement"].is_default and rows["acknowledgement"].schedule.offsets == (3, 7)


def test_policy_edit_saves_through_the_service_with_history_and_ledger(org, client_for):
    client = client_for(org.admin)
    url = f"/reminders/policies/{org.company.pk}/acknowledgement/"
    form = client.get(url).context["form"]
    assert form.initial["offsets"] == [3, 7]
    response = client.post(
        url,
        {
            "anchor": "opened",
            "offsets": "2,5",
            "repeat_every_days": "3",
            "escalate_after": "1",
            "escalate_again_after": "0",
            "send_hour": "9",
            "enabled": "on",
            "reason": "Site rule",
        },
    )
    assert response.status_code == 302
    policy = ReminderPolicy.objects.get(company=org.company, kind="acknowledgement")
    assert (policy.offsets, policy.repeat_every_days, policy.escalate_after, policy.send_hour) == ([2, 5], 3, 1, 9)
    assert policy.history.count() == 1 and policy.history.first().history_user == org.admin
    entry = LedgerEntry.objects.get(event_type="REMINDER_POLICY_CHANGED")
    assert entry.payload["reason"] == "Site rule" and entry.actor == org.admin
    # Saving the same values again is not a change.
    client.post(
        url,
        {
            "anchor": "opened",
            "offsets": "2,5",
            "repeat_every_days": "3",
            "escalate_after": "1",
            "escalate_again_after": "0",
            "send_hour": "9",
            "enabled": "on",
        },
    )
    assert policy.history.count() == 1


def test_policy_edit_refusal_keeps_input_and_shows_the_error_next_to_the_field(org, client_for):
    url = f"/reminders/policies/{org.company.pk}/acknowledgement/"
    response = client_for(org.admin).post(
        url,
        {
            "anchor": "opened",
            "offsets": "-2,5",
            "repeat_every_days": "3",
            "escalate_after": "1",
            "escalate_again_after": "0",
            "send_hour": "9",
        },
    )
    assert response.status_code == 200
    assert "offsets" in response.context["form"].errors
    assert 'value="-2,5"' in response.content.decode()
    bad = client_for(org.admin).post(
        url, {"anchor": "due", "offsets": "a,b", "repeat_every_days": "x", "escalate_after": "", "send_hour": "30"}
    )
    assert bad.status_code == 200 and set(bad.context["form"].errors) >= {"offsets", "repeat_every_days", "send_hour"}
    assert not ReminderPolicy.objects.exists()


def test_unknown_kind_is_404(org, client_for):
    assert client_for(org.admin).get(f"/reminders/policies/{org.company.pk}/nonsense/").status_code == 404


def test_policy_on_a_site_is_refused(org):
    from core.exceptions import DomainError
    from reminders.services import reminder_policy_set

    with pytest.raises(DomainError):
        reminder_policy_set(actor=org.admin, company=org.lyon, kind="action", offsets=[0])


def test_remind_now_queues_a_reminder_for_everyone_still_chased(org, client_for, mailoutbox):
    from reminders import sender
    from tests.reminders.helpers import open_item

    open_item(org.assembly, org.staff)
    open_item(org.assembly, org.manager)
    response = client_for(org.qse).post(
        "/reminders/remind/",
        {"target_type": "organisation.unit", "target_id": str(org.assembly.pk), "next": "/reminders/inbox/"},
    )
    assert response.status_code == 302 and response["Location"] == "/reminders/inbox/"
    assert Notification.objects.count() == 2
    assert LedgerEntry.objects.filter(event_type="REMINDER_REQUESTED", actor=org.qse).count() == 1
    assert sender.send_due().sent == 2 and len(mailoutbox) == 2
    # One person only; someone not chased for it is a 404.
    one = client_for(org.qse).post(
        "/reminders/remind/",
        {"target_type": "organisation.unit", "target_id": str(org.assembly.pk), "recipient": str(org.staff.pk)},
    )
    assert one.status_code == 302 and Notification.objects.filter(recipient=org.staff).count() == 2
    assert (
        client_for(org.qse)
        .post(
            "/reminders/remind/",
            {"target_type": "organisation.unit", "target_id": str(org.assembly.pk), "recipient": str(org.sibling.pk)},
        )
        .status_code
        == 404
    )
