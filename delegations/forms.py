from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access
from core.widgets import DateInput
from delegations.choices import DelegationStatus, Domain
from delegations.models import Delegation
from organisation.models import Unit, User
from organisation.selectors import people_visible_to


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(label=_("Delegate"), queryset=User.objects.none())
    parent = forms.ModelChoiceField(label=_("Within my delegation"), queryset=Delegation.objects.none(),
                                    required=False,
                                    help_text=_("Leave empty only if you are the head of the company."))
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=Unit.objects.none())
    domains = forms.MultipleChoiceField(label=_("Domains"), choices=Domain.choices,
                                        widget=forms.CheckboxSelectMultiple)
    competence = forms.CharField(label=_("Competence"), widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Why the delegate is competent: training, experience."))
    authority = forms.CharField(label=_("Authority granted"), widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("The powers handed over, precisely."))
    means = forms.CharField(label=_("Means granted"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("People, equipment and time the delegate may use."))
    budget = forms.DecimalField(label=_("Budget (EUR)"), min_value=0, max_digits=12, decimal_places=2,
                                required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput, initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = people_visible_to(user).filter(is_active=True).exclude(pk=user.pk)
        self.fields["units"].queryset = access.units_visible_to(user)
        self.fields["parent"].queryset = Delegation.objects.filter(
            delegate=user, status=DelegationStatus.ACCEPTED).select_related("delegator")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class DelegationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *DelegationStatus.choices],
                               required=False)
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", _("Any domain")), *Domain.choices], required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    sort = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)


class AcceptForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class MapForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    on = forms.DateField(label=_("As of"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(user)

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Choose today or a past date."))
        return day
