from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access
from evidence.choices import DossierKind, DossierStatus, FileKind
from organisation.choices import Role
from organisation.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True,
                           help_text=_("PDF, PNG, JPEG, Word, Excel, OpenDocument text, plain text or CSV."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("What the file proves, e.g. \"Guard inspection certificate 2026\"."))
    effective_on = forms.DateField(label=_("Proves from"), widget=DateInput,
                                   help_text=_("The first day of the period the file proves (not the upload date)."))
    effective_until = forms.DateField(label=_("Proves until"), widget=DateInput, required=False)
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput, required=False,
                                 help_text=_("You will be reminded before it expires."))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()


class SupersedeForm(EvidenceForm):
    reason = forms.CharField(label=_("Why is it replaced?"), max_length=300)


class EvidenceFilterForm(forms.Form):
    q = forms.CharField(label=_("Title, file, record or SHA-256"), required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Any type")), *FileKind.choices], required=False)
    current = forms.ChoiceField(label=_("Versions"), required=False,
                                choices=[("", _("All versions")), ("1", _("Current only"))])
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=[
        ("-created_at", _("Newest first")), ("created_at", _("Oldest first")), ("title", _("Title")),
        ("-effective_on", _("Proves from, latest first")), ("expires_on", _("Expiry, soonest first"))])


class DossierRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of dossier"), choices=[c for c in DossierKind.choices
                                                                  if c[0] != DossierKind.RECORD])
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    period_start = forms.DateField(label=_("From"), widget=DateInput, required=False,
                                   help_text=_("Scope dossier: first day of the period."))
    period_end = forms.DateField(label=_("To"), widget=DateInput, required=False,
                                 help_text=_("Scope dossier: last day of the period."))
    as_of = forms.DateField(label=_("As of the date"), widget=DateInput, required=False,
                            help_text=_("Inquiry dossier: the date of the event. Nothing recorded after that day "
                                        "is shown."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(
            user, roles={Role.ADMINISTRATOR, Role.QSE_MANAGER, Role.MANAGER})

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DossierKind.SCOPE:
            for name in ("period_start", "period_end"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("A scope dossier needs this date."))
        if kind == DossierKind.INQUIRY and not data.get("as_of") and "as_of" not in self.errors:
            self.add_error("as_of", _("An inquiry dossier needs the date of the event."))
        return data


class DossierFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *DossierKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *DossierStatus.choices],
                               required=False)


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("The PDF file"), required=False)
    sha256 = forms.CharField(label=_("Or its SHA-256 fingerprint"), max_length=100, required=False,
                             help_text=_("64 hexadecimal characters."))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("sha256") or "").strip():
            raise forms.ValidationError(_("Upload the file or give its fingerprint."))
        return data


class AccessLogFilterForm(forms.Form):
    person = forms.CharField(label=_("User name"), required=False)
    kind = forms.ChoiceField(label=_("What"), required=False, choices=[
        ("", _("Views and downloads")), ("view", _("Pages viewed")), ("download", _("Files downloaded"))])
    since = forms.DateField(label=_("From"), widget=DateInput, required=False)
    until = forms.DateField(label=_("To"), widget=DateInput, required=False)
