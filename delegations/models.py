"""Delegations of authority (délégations de pouvoirs): what courts look at to decide who was responsible.

The head of the company hands a duty to someone with the competence, the authority and the means
for it; that person may hand part of it on, within their own delegation. A delegation is precise
(units, domains, what is granted, a budget), limited (dates), and accepted by the delegate with a
signature (the password again, and the SHA-256 of what was accepted).

The units are fixed when the delegation is proposed and never change (a different scope is a new
delegation), so the unit rows need no history of their own; the ledger entry records them.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import GovernedModel
from delegations.choices import DelegationStatus, Domain


class Delegation(GovernedModel):
    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegator"), on_delete=models.PROTECT,
                                  related_name="delegations_given")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delegate"), on_delete=models.PROTECT,
                                 related_name="delegations_received")
    parent = models.ForeignKey("self", verbose_name=_("within the delegation"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="sub_delegations")
    units = models.ManyToManyField("organisation.Unit", verbose_name=_("units"), related_name="delegations")
    domains = ArrayField(models.CharField(max_length=20, choices=Domain.choices), verbose_name=_("domains"))
    competence = models.TextField(_("competence"), help_text=_("Why the delegate is competent: training, experience."))
    authority = models.TextField(_("authority granted"), help_text=_("The powers handed over, precisely."))
    means = models.TextField(_("means granted"), help_text=_("People, equipment, time the delegate may use."))
    budget = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DelegationStatus.choices,
                              default=DelegationStatus.PROPOSED, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    acceptance_hash = models.CharField(_("SHA-256 of what was accepted"), max_length=64, blank=True)
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("delegation of authority")
        verbose_name_plural = _("delegations of authority")
        constraints = [
            models.CheckConstraint(condition=~Q(delegator=F("delegate")), name="delegation_not_to_oneself"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="delegation_ends_after_start"),
            models.CheckConstraint(condition=~Q(domains=[]), name="delegation_has_domain"),
            models.CheckConstraint(condition=~Q(status="accepted") | (Q(accepted_at__isnull=False)
                                                                     & ~Q(acceptance_hash="")),
                                   name="delegation_accepted_is_signed"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="delegation_refused_has_reason"),
            models.CheckConstraint(condition=~Q(status="revoked") | ~Q(revoke_reason=""),
                                   name="delegation_revoked_has_reason"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0),
                                   name="delegation_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.delegator} → {self.delegate} ({', '.join(self.domain_labels())})"

    def domain_labels(self) -> list[str]:
        return [str(Domain(d).label) for d in self.domains if d in Domain.values]

    def in_force_on(self, day) -> bool:
        return (self.status == DelegationStatus.ACCEPTED and self.starts_on <= day
                and (self.ends_on is None or self.ends_on >= day))
