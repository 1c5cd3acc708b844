from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.choices import Language
from organisation.models import TIME_ZONE_CHOICES


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    wants_digest = forms.BooleanField(
        label=_("Daily digest"), required=False, help_text=_("One daily e-mail instead of one per reminder.")
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. 'ERP export'."))


class LedgerFilterForm(forms.Form):
    event_type = forms.CharField(label=_("Event"), required=False)
    target = forms.CharField(label=_("Record (app.model:id)"), required=False)


def add_domain_error(form, exc) -> None:
    """Put a service's refusal (a DomainError) next to its field, or at the top of the form."""
    field = exc.field if exc.field in form.fields else None
    for message in exc.messages:
        form.add_error(field, message)
