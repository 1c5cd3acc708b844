"""Requirement dossier parts (J1): every version with its text and hash, applicability, evaluations,
and each communication with every person asked, their answer and its time; reminders and
escalations are ledger entries on those requests, printed in the timeline. Inquiry part 4 reads the
requests as they stood on D."""

from django.utils.translation import gettext as _

from evidence import sections
from evidence.dossiers.base import Block, Section, fmt, fmt_datetime, prefetch_fks
from requirements import selectors


def requirement_sections(requirement, *, as_of=None):
    data = selectors.requirement_dossier_data(requirement)
    versions = Section(title=_("Versions and their text"))
    for v in data["versions"]:
        versions.blocks.append(Block(
            title=_("Version %(n)s · effective %(day)s") % {"n": v.number, "day": fmt(v.effective_on)},
            lines=[f"{_('Text SHA-256')} {v.text_sha256}", _("Approved by %(who)s at %(at)s") % {
                "who": fmt(v.approved_by), "at": fmt_datetime(v.approved_at)}] + ([v.change_note] if v.change_note else []),
            text=v.text,
        ))
        versions.related.append(v)
    result = [versions]
    evaluations = Section(title=_("Latest compliance evaluations"), empty=_("No evaluation yet."))
    for e in data["evaluations"] or []:
        evaluation = e if hasattr(e, "pk") else e.get("evaluation", e) if isinstance(e, dict) else e
        if hasattr(evaluation, "pk"):
            evaluations.blocks.append(Block(
                title=f"{fmt(evaluation.unit)} · {evaluation.get_result_display()} · {fmt(evaluation.evaluated_on)}",
                lines=[_("By %(who)s") % {"who": fmt(evaluation.evaluator)}], text=evaluation.comment))
            evaluations.related.append(evaluation)
    result.append(evaluations)
    for entry in data["communications"]:
        comm, requests, counts = entry["communication"], entry["requests"], entry["counts"]
        section = Section(
            title=_("Communication of version %(n)s, sent %(at)s") % {
                "n": comm.version.number, "at": fmt_datetime(comm.sent_at)},
            facts=[(_("Sent by"), fmt(comm.sent_by)), (_("Acknowledge by"), fmt(comm.due_on)),
                   (_("People asked"), str(counts.get("total", len(requests)))),
                   *[(label, str(counts.get(key, 0))) for key, label in (
                       ("acknowledged", _("Acknowledged")), ("pending", _("Pending")), ("declined", _("Declined")),
                       ("exempted", _("Exempted")))]],
            related=[comm, *requests],
        )
        for ack in requests:
            lines = [f"{ack.get_status_display()} · {fmt_datetime(ack.answered_at)}"]
            if ack.channel:
                lines.append(_("Channel: %(channel)s · IP %(ip)s") % {"channel": ack.get_channel_display(),
                                                                       "ip": ack.ip_address or "—"})
            if ack.text_sha256:
                lines.append(f"{_('Text SHA-256 acknowledged')} {ack.text_sha256}")
            if ack.reason:
                lines.append(_("Reason: %(reason)s") % {"reason": ack.reason})
            section.blocks.append(Block(title=f"{fmt(ack.person)} · {fmt(ack.unit)}", lines=lines))
        result.append(section)
    return result


def acknowledgements_on(unit, moment):
    rows = prefetch_fks(selectors.acknowledgements_as_of(unit, moment), as_of=moment)
    section = Section(title=_("Requests to acknowledge, as they stood"), related=rows,
                      empty=_("No requirement had been communicated to this unit's staff."))
    for ack in rows:
        section.blocks.append(Block(
            title=f"{fmt(ack.person)} · {fmt(ack.version.requirement)} v{ack.version.number}",
            lines=[f"{ack.get_status_display()} · {fmt_datetime(ack.answered_at)}"]))
    return [section]


sections.register("requirements.requirement", requirement_sections)
sections.register_inquiry(4, acknowledgements_on)
