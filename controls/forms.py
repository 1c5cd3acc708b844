from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from controls.choices import Answer, ControlKind, DueState, FrequencyUnit, InspectionResult
from core import access
from core.widgets import DateInput
from organisation.choices import Role
from organisation.models import Unit, User
from organisation.selectors import people_visible_to


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ControlForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ControlKind.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(),
                                   help_text=_("Chased for each inspection due."))
    frequency_count = forms.IntegerField(label=_("Inspect every"), min_value=1, initial=1)
    frequency_unit = forms.ChoiceField(label=_("Unit of time"), choices=FrequencyUnit.choices,
                                       initial=FrequencyUnit.MONTH)
    in_service_since = forms.DateField(label=_("In service since"), widget=DateInput, initial=timezone.localdate,
                                       help_text=_("No inspection can be dated before this day."))
    next_due_on = forms.DateField(label=_("First inspection due on"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user, roles={Role.QSE_MANAGER, Role.ADMINISTRATOR})
        self.fields["owner"].queryset = people_visible_to(user).filter(is_active=True).order_by(
            "last_name", "first_name")

    def clean(self):
        data = super().clean()
        since, due = data.get("in_service_since"), data.get("next_due_on")
        if since and since > timezone.localdate():
            self.add_error("in_service_since", _("A control cannot be in service from a future date."))
        if since and due and due < since:
            self.add_error("next_due_on", _("The first inspection cannot be due before the control is in service."))
        return data


class ControlEditForm(ControlForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("in_service_since", "next_due_on"):
            del self.fields[name]


class RescheduleForm(forms.Form):
    next_due_on = forms.DateField(label=_("Next inspection due on"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ChecklistItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Item"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)


ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=3, max_num=100, validate_max=True)


class InspectionForm(forms.Form):
    """The checklist as a form: one answer per item (required items marked), then the result as
    three big buttons and the findings. Works at phone width (radios styled as large targets)."""

    performed_at = forms.DateTimeField(label=_("Performed at"), widget=DateTimeInput,
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
    result = forms.ChoiceField(label=_("Result"), choices=InspectionResult.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                               help_text=_("What you saw: say what is wrong and where."))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        choices = Answer.choices
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=choices, widget=forms.RadioSelect, required=item.required,
                error_messages={"required": _("Answer this required item.")})
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("Note"), max_length=500, required=False)

    def item_rows(self):
        return [(item, self[f"item_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def answers(self) -> dict:
        data = self.cleaned_data
        return {str(item.pk): {"answer": data.get(f"item_{item.pk}") or "", "note": data.get(f"note_{item.pk}", "")}
                for item in self.items}


class CorrectionForm(InspectionForm):
    reason = forms.CharField(label=_("What the correction fixes"), max_length=300)


class ControlFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *ControlKind.choices], required=False)
    state = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Active")), (DueState.OVERDUE, DueState.OVERDUE.label),
                 (DueState.DUE_SOON, DueState.DUE_SOON.label), (DueState.PENDING, DueState.PENDING.label),
                 (DueState.RETIRED, DueState.RETIRED.label), ("all", _("All"))])
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("All my units"))
    start = forms.DateField(label=_("From"), widget=DateInput, required=False)
    end = forms.DateField(label=_("To"), widget=DateInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)

    def clean(self):
        from controls.report import MAX_DAYS

        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most five years."))
        return data


class LinksForm(forms.Form):
    """The risks and requirements a control covers: those of its unit, the units above and below."""

    risks = forms.ModelMultipleChoiceField(label=_("Risks covered"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    requirements = forms.ModelMultipleChoiceField(label=_("Requirements covered"), queryset=None, required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args, user, control, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from requirements.models import Requirement
        from risks.models import Risk

        line = Q(unit__path__startswith=control.unit.path) | Q(unit_id__in=control.unit.ancestor_ids())
        self.fields["risks"].queryset = access.visible_to(Risk.objects.filter(line), user).order_by(
            "unit__path", "title")
        self.fields["requirements"].queryset = access.visible_to(
            Requirement.objects.filter(line, is_active=True), user).order_by("reference")
