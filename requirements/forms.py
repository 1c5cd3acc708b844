from django import forms
from django.utils.translation import gettext_lazy as _

from core import access
from core.widgets import DateInput
from organisation.choices import Role
from organisation.models import Unit, User
from requirements import selectors
from requirements.choices import AckStatus, EvaluationResult, SourceKind, TextFormat
from requirements.models import Source


def _units_where(user, action):
    roles = access.roles_for(action)
    return access.units_visible_to(user, roles=roles).order_by("path")


class SourceForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Kept in unit"),
        queryset=Unit.objects.none(),
        help_text=_("Usually the company, so every site can use it."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    reference = forms.CharField(
        label=_("Reference"), max_length=200, help_text=_("e.g. Code du travail L4121-1, ISO 45001:2018 7.4")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units_where(user, "requirement.edit")


class RequirementForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        help_text=_("The requirement applies here and in the units below."),
    )
    reference = forms.CharField(label=_("Reference"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=300)
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.none(), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    review_every_months = forms.IntegerField(label=_("Review every (months)"), min_value=1, max_value=120, initial=12)
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput, required=False)
    text = forms.CharField(
        label=_("Text of version 1"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown or plain text. It is frozen once approved."),
    )
    text_format = forms.ChoiceField(label=_("Text format"), choices=TextFormat.choices, initial=TextFormat.MARKDOWN)
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = _units_where(user, "requirement.edit")
        self.fields["unit"].queryset = units
        # Sources kept in these units or above them (a company-wide law serves every site).
        self.fields["source"].queryset = Source.objects.filter(
            unit_id__in={i for u in units for i in u.ancestor_ids()}
        ).order_by("reference")
        self.fields["owner"].queryset = (
            User.objects.filter(
                is_active=True, memberships__role__in=[Role.QSE_MANAGER, Role.MANAGER, Role.ADMINISTRATOR]
            )
            .distinct()
            .order_by("last_name", "first_name")
        )


class RequirementEditForm(RequirementForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("unit", "text", "text_format", "effective_on"):
            del self.fields[name]


class VersionForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    text_format = forms.ChoiceField(label=_("Text format"), choices=TextFormat.choices)
    effective_on = forms.DateField(label=_("Effective from"), widget=DateInput)
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class ApplicabilityForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    applicable = forms.TypedChoiceField(
        label=_("Applies here"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Applicable")), ("0", _("Not applicable"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, help_text=_("Required when not applicable.")
    )

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(path__startswith=requirement.unit.path, is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("applicable") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the requirement does not apply here."))
        return data


class EvaluationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    result = forms.ChoiceField(label=_("Result"), choices=EvaluationResult.choices, widget=forms.RadioSelect)
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What you checked; what is missing when it is not fully compliant."),
    )

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(path__startswith=requirement.unit.path, is_active=True)


class CommunicateForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Whole units"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Everyone with a role there and in the units below (auditors excepted)."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("No role audience")), *[c for c in Role.choices if c[0] != Role.AUDITOR]],
    )
    role_units = forms.ModelMultipleChoiceField(label=_("…within units"), queryset=Unit.objects.none(), required=False)
    people = forms.ModelMultipleChoiceField(label=_("People"), queryset=User.objects.none(), required=False)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_on = forms.DateField(label=_("Acknowledge by"), widget=DateInput)

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(path__startswith=requirement.unit.path, is_active=True).order_by("path")
        self.fields["units"].queryset = units
        self.fields["role_units"].queryset = units
        self.fields["people"].queryset = selectors.people_in_scope(requirement.unit).order_by("last_name", "first_name")

    def clean(self):
        data = super().clean()
        if data.get("role") and not data.get("role_units"):
            self.add_error("role_units", _("Choose the units where this role is asked."))
        if not (data.get("units") or data.get("role_units") or data.get("people")) and not self.errors:
            self.add_error("units", _("Choose at least one unit, role or person."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RequirementFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or title"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    source_kind = forms.ChoiceField(
        label=_("Source"), choices=[("", _("Any source")), *SourceKind.choices], required=False
    )
    sort = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user).order_by("path")


class TrackingFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Everyone")), *AckStatus.choices], required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    q = forms.CharField(label=_("Name or e-mail"), required=False)

    def __init__(self, *args, communication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            path__startswith=communication.requirement.unit.path, is_active=True
        ).order_by("path")


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit of the imported requirements"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns: reference, title, source, text, units. First row is the header."),
    )
    approve = forms.BooleanField(label=_("Approve the imported texts as version 1"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units_where(user, "requirement.edit")
