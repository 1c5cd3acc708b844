"""The apps' own parts of dossiers (evidence/sections/<app>.py), with the J1 requirement dossier."""

import datetime

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from core import ledger
from evidence import services
from organisation.choices import Role
from organisation.services import membership_grant
from tests.evidence.conftest import dossier_bytes, pdf_text, render_now
from tests.personas import make_person

pytestmark = pytest.mark.django_db



def test_j1_requirement_dossier_lists_the_40_names_times_reminders_and_hashes(org, tmp_path):
    from requirements import communication
    from requirements import services as req_services

    people = [make_person(org.root, f"op{i:02d}", "Operator", f"Number{i:02d}", manager=org.manager)
              for i in range(40)]
    for person in people:
        membership_grant(actor=org.root, user=person, unit=org.assembly, role=Role.STAFF)
    requirement = req_services.requirement_create(
        actor=org.qse, unit=org.lyon, reference="CT L4121-1", title="Lockout before maintenance", owner=org.qse,
        text="Lock out and tag out every machine before working on it.")
    version = req_services.version_approve(actor=org.qse, version=requirement.versions.get())
    comm = communication.requirement_communicate(
        actor=org.qse, version=version, units=[org.assembly], people=(), roles=(),
        due_on=timezone.localdate() + datetime.timedelta(days=7), message="Please read it.")
    acks = {a.person_id: a for a in comm.acknowledgements.select_related("person")}
    for person in people[:38]:
        communication.acknowledgement_confirm(actor=person, ack=acks[person.pk])
    late = [acks[p.pk] for p in people[38:]]
    with transaction.atomic():  # what the reminders sender records for each reminder and escalation
        for ack in late:
            ledger.append(actor=None, event_type="REMINDER_SENT", target=ack, payload={"sequence": 1},
                          unit_path=org.assembly.path)
            ledger.append(actor=None, event_type="ESCALATION_SENT", target=ack,
                          payload={"to": org.manager.pk}, unit_path=org.assembly.path)
    req = render_now(services.dossier_request(actor=org.qse, kind="record", target=requirement))
    assert req.status == "done", req.error
    text = pdf_text(dossier_bytes(req), tmp_path)
    flat = " ".join(text.split())
    assert "Lock out and tag out every machine" in flat and version.text_sha256 in flat
    for person in people:
        assert f"Operator Number{person.username[2:]}" in flat
    for person in people[:38]:
        ack = acks[person.pk]
        ack.refresh_from_db()
        answered = timezone.localtime(ack.answered_at, timezone.get_default_timezone())
        assert answered.strftime("%Y-%m-%d %H:%M") in flat
    assert "Reminders and escalations sent" in flat
    assert flat.count("Reminder sent") >= 2 and flat.count("Escalation sent to the manager") >= 2
    for entry in ledger.timeline(*late):
        assert entry.hash in flat


def test_risk_record_duerp_and_inquiry_use_the_risks_selectors(org, tmp_path):
    from risks import services as risk_services

    risk = risk_services.risk_create(actor=org.qse, unit=org.assembly, title="Press crushing", owner=org.manager,
                                     hazard="Hands caught in the press", situation="Manual loading of the press")
    risk_services.risk_assess(actor=org.qse, risk=risk, assessed_on=timezone.localdate(), inherent_likelihood=3,
                              inherent_severity=4, residual_likelihood=2, residual_severity=3,
                              rationale="Two-hand control fitted in 2024.")
    record = render_now(services.dossier_request(actor=org.qse, kind="record", target=risk))
    assert record.status == "done", record.error
    flat = " ".join(pdf_text(dossier_bytes(record), tmp_path).split())
    assert "Press crushing" in flat and "Two-hand control fitted in 2024." in flat
    duerp = render_now(services.dossier_request(actor=org.qse, kind="duerp", unit=org.lyon))
    flat = " ".join(pdf_text(dossier_bytes(duerp), tmp_path).split())
    assert "Work unit: Assembly" in flat and "Press crushing" in flat and "Hands caught in the press" in flat
    inquiry = render_now(services.dossier_request(actor=org.qse, kind="inquiry", unit=org.assembly,
                                                  as_of=timezone.localdate()))
    flat = " ".join(pdf_text(dossier_bytes(inquiry), tmp_path).split())
    assert "Risks and their last assessment before the date" in flat and "Press crushing" in flat


def test_every_installed_app_section_module_loads():
    from evidence import sections

    sections.load()
    for app in ("requirements", "risks", "controls", "actions", "decisions"):
        if apps.is_installed(app):
            assert any(label.startswith(f"{app}.") for label in sections._RECORD), app
    if apps.is_installed("delegations"):
        assert sections.inquiry_providers(1)
