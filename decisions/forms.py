from django import forms
from django.utils.translation import gettext_lazy as _

from core import access
from core.widgets import DateInput
from decisions import links as link_registry
from decisions.choices import AlarmStatus, DecisionKind, DecisionStatus, Priority, Severity
from organisation.choices import Role
from organisation.models import Membership, Unit, User


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            from django.utils import timezone

            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


def people_with_roles(user, roles):
    """Active people holding one of ``roles`` on a unit the user can see (for approver pickers)."""
    memberships = access.visible_to(Membership.objects.active(), user).filter(role__in=roles)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("last_name",
                                                                                                 "first_name")


def parse_links(text: str) -> list[str]:
    return [part.strip() for chunk in (text or "").splitlines() for part in chunk.split(",") if part.strip()]


LINK_HELP = _("One per line, written type:id (for example risks.risk:12). Types: %(types)s.")


class DecisionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices, initial=DecisionKind.DECISION)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    context = forms.CharField(label=_("Context"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    options = forms.CharField(label=_("Options considered"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)
    decision_text = forms.CharField(label=_("The decision"), widget=forms.Textarea(attrs={"rows": 4}))
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    review_on = forms.DateField(label=_("Review date"), widget=DateInput, required=False,
                                help_text=_("Required for a risk acceptance: the risk shows as accepted until then."))
    approvers = forms.ModelMultipleChoiceField(
        label=_("Approvers"), queryset=User.objects.none(),
        help_text=_("All must approve; one rejection rejects the decision."))
    links = forms.CharField(label=_("Linked records"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    action_title = forms.CharField(label=_("Action to open once approved"), max_length=300, required=False)
    action_owner = forms.ModelChoiceField(label=_("Action owner"), queryset=User.objects.none(), required=False)
    action_due_on = forms.DateField(label=_("Action due date"), widget=DateInput, required=False)
    action_priority = forms.ChoiceField(label=_("Action priority"), choices=Priority.choices,
                                        initial=Priority.HIGH, required=False)

    ACTION_FIELDS = ("action_title", "action_owner", "action_due_on", "action_priority")

    def __init__(self, *args, user, with_actions: bool, unit_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(
            user, roles={Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER})
        if unit_fixed:
            self.fields["unit"].disabled = True
            self.fields["kind"].disabled = True
        self.fields["approvers"].queryset = people_with_roles(
            user, (Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER))
        self.fields["links"].help_text = LINK_HELP % {
            "types": ", ".join(name for name, _label in link_registry.available_types())}
        if with_actions:
            self.fields["action_owner"].queryset = people_with_roles(user, Role.values)
        else:
            for name in self.ACTION_FIELDS:
                del self.fields[name]
        if link_registry.model_for("risks.risk") is not None:
            risk_model = link_registry.model_for("risks.risk")
            self.fields["risk"] = forms.ModelChoiceField(
                label=_("Risk accepted"), required=False,
                queryset=access.visible_to(risk_model.objects.all(), user).select_related("unit"),
                help_text=_("For a risk acceptance: the risk it accepts until the review date."))
            self.order_fields(["unit", "kind", "risk", "review_on"])

    def clean(self):
        data = super().clean()
        if data.get("action_title") and (not data.get("action_owner") or not data.get("action_due_on")):
            self.add_error("action_owner", _("An action needs an owner and a due date."))
        return data

    def link_refs(self) -> list[str]:
        """The linked records typed in, plus the risk chosen, each once."""
        refs = parse_links(self.cleaned_data.get("links", ""))
        if self.cleaned_data.get("risk") is not None:
            refs.append(f"risks.risk:{self.cleaned_data['risk'].pk}")
        return list(dict.fromkeys(refs))

    def planned_actions(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("action_title"):
            return []
        return [{"title": data["action_title"], "owner": data["action_owner"], "due_on": data["action_due_on"],
                 "priority": data.get("action_priority") or Priority.HIGH}]


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *DecisionStatus.choices],
                               required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *DecisionKind.choices], required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    mine = forms.ChoiceField(label=_("Show"), choices=[("", _("All")), ("sign", _("Waiting for my signature"))],
                             required=False)
    sort = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)


class SignForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    verdict = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))],
                                widget=forms.HiddenInput, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AlarmForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit concerned"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Situation"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.HIGH)
    respond_by = forms.DateTimeField(label=_("Answer expected by"), widget=DateTimeInput,
                                     help_text=_("Past this time without an answer, the alarm goes to the "
                                                 "addressee's own manager."))
    addressees = forms.ModelMultipleChoiceField(label=_("Managers to warn"), queryset=User.objects.none())
    links = forms.CharField(label=_("Linked records"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)
        self.fields["addressees"].queryset = people_with_roles(user, (Role.MANAGER, Role.ADMINISTRATOR))
        self.fields["links"].help_text = LINK_HELP % {
            "types": ", ".join(name for name, _label in link_registry.available_types())}


class AlarmFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *AlarmStatus.choices],
                               required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", _("Any severity")), *Severity.choices],
                                 required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    mine = forms.ChoiceField(label=_("Show"), choices=[("", _("All")), ("to_me", _("Addressed to me")),
                                                       ("raised", _("Raised by me"))], required=False)
    sort = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.ModelChoiceField(label=_("Decision taken"), queryset=None, required=False,
                                      help_text=_("Optional: a decision that answers the alarm."))
    action_title = forms.CharField(label=_("Action to open"), max_length=300, required=False)
    action_owner = forms.ModelChoiceField(label=_("Action owner"), queryset=User.objects.none(), required=False)
    action_due_on = forms.DateField(label=_("Action due date"), widget=DateInput, required=False)

    def __init__(self, *args, user, alarm, with_actions: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from decisions.selectors import decisions_visible_to

        self.fields["decision"].queryset = decisions_visible_to(user).filter(
            unit__path__startswith=alarm.unit.path).exclude(status=DecisionStatus.WITHDRAWN).order_by("-created_at")
        if with_actions:
            self.fields["action_owner"].queryset = people_with_roles(user, Role.values)
        else:
            for name in ("action_title", "action_owner", "action_due_on"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("action_title") and (not data.get("action_owner") or not data.get("action_due_on")):
            self.add_error("action_owner", _("An action needs an owner and a due date."))
        return data

    def actions(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("action_title"):
            return []
        return [{"title": data["action_title"], "owner": data["action_owner"], "due_on": data["action_due_on"]}]
