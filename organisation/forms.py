from django import forms
from django.utils.translation import gettext_lazy as _

from core import access
from core.widgets import DateInput
from organisation.choices import Language, Role, UnitKind
from organisation.models import TIME_ZONE_CHOICES, Unit, User
from organisation.selectors import people_visible_to


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Short unique code, e.g. lyon-assembly."))
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=Unit.objects.none(), required=False)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = access.units_visible_to(user, roles={Role.ADMINISTRATOR})


class UnitEditForm(UnitForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].disabled = True


class PersonForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES, initial="Europe/Paris")
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=User.objects.none(), required=False,
        help_text=_("Receives escalations when this person does not act."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = people_visible_to(user).filter(is_active=True)


class PersonCreateForm(PersonForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=[c for c in Role.choices if c[0] != Role.AUDITOR])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user, roles={Role.ADMINISTRATOR})


class PersonEditForm(PersonForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].disabled = True


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Reason or note"), max_length=300, required=False)

    def __init__(self, *args, user, auditor=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user, roles={Role.ADMINISTRATOR})
        people = people_visible_to(user).filter(is_active=True)
        if auditor:
            # An auditor may come from outside the organisation: any active person can be chosen.
            people = User.objects.filter(is_active=True)
            self.fields["role"].choices = [(Role.AUDITOR, Role.AUDITOR.label)]
            self.fields["role"].initial = Role.AUDITOR
            self.fields["ends_on"].required = True
            self.fields["ends_on"].help_text = _("Access stops at the end of this day.")
        self.fields["user"].queryset = people

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        if data.get("role") == Role.AUDITOR and not ends and "ends_on" not in self.errors:
            self.add_error("ends_on", _("Auditor access must have an end date."))
        return data


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *Role.choices], required=False)
    active = forms.ChoiceField(
        label=_("Status"), choices=[("1", _("Active")), ("0", _("Deactivated")), ("", _("All"))], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)
