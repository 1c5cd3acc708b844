"""Forms of the action screens. The services hold the rules; the forms keep what was typed and
put the services' refusals next to the fields."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.choices import ActionKind, ActionStatus, OriginType, Priority
from core import access
from core.widgets import DateInput
from organisation.models import Unit, User
from organisation.selectors import people_visible_to


def _people(user):
    return people_visible_to(user).filter(is_active=True).order_by("last_name", "first_name", "username")


class VersionedForm(forms.Form):
    """Carries the version of the action the person saw, so a stale page is refused (409)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _not_past(value):
    if value is not None and value < timezone.localdate():
        raise forms.ValidationError(_("The due date is in the past."))
    return value


class ActionCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices, initial=ActionKind.CORRECTIVE)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        help_text=_("The person who must do it and answers for it."),
    )
    contributors = forms.ModelMultipleChoiceField(
        label=_("Contributors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty to use the due-date policy for the priority."),
    )
    origin_type = forms.ChoiceField(choices=[("", ""), *OriginType.choices], required=False, widget=forms.HiddenInput)
    origin_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user, roles=access.roles_for("action.manage"))
        self.fields["owner"].queryset = _people(user)
        self.fields["contributors"].queryset = _people(user)

    def clean_due_on(self):
        return _not_past(self.cleaned_data.get("due_on"))


class ActionEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    contributors = forms.ModelMultipleChoiceField(
        label=_("Contributors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributors"].queryset = _people(user)


class CompleteForm(VersionedForm):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required: the completion note is the proof of what was done."),
    )


class VerifyForm(VersionedForm):
    effective = forms.TypedChoiceField(
        label=_("Was the action effective?"),
        choices=[("yes", _("Effective: close the action")), ("no", _("Not effective: reopen it"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What you checked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the action was not effective: say why."),
    )
    new_due_on = forms.DateField(label=_("New due date (if reopened)"), widget=DateInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("effective") is False and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the action was not effective."))
        return data

    def clean_new_due_on(self):
        return _not_past(self.cleaned_data.get("new_due_on"))


class PostponeForm(VersionedForm):
    new_due_on = forms.DateField(label=_("New due date"), widget=DateInput)
    reason = forms.CharField(label=_("Why it is postponed"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_new_due_on(self):
        return _not_past(self.cleaned_data.get("new_due_on"))


class CancelForm(VersionedForm):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(VersionedForm):
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Why the owner changes"), max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(user)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ActionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All I can see")),
            ("mine", _("My actions")),
            ("overdue", _("Overdue")),
            ("to_verify", _("Waiting for my verification")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("active", _("Open or in progress")), *ActionStatus.choices],
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    origin_type = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=[("", _("Any origin")), ("none", _("No origin")), *OriginType.choices],
    )
    origin_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any priority")), *Priority.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *ActionKind.choices])
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("due", _("Due date, soonest first")),
            ("-due", _("Due date, latest first")),
            ("priority", _("Priority")),
            ("status", _("Status")),
            ("title", _("Title")),
            ("-created", _("Newest first")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)


class DuePolicyForm(forms.Form):
    high = forms.IntegerField(label=Priority.HIGH.label, min_value=1, max_value=730)
    medium = forms.IntegerField(label=Priority.MEDIUM.label, min_value=1, max_value=730)
    low = forms.IntegerField(label=Priority.LOW.label, min_value=1, max_value=730)
