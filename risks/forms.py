"""Forms of the risk screens. Business rules are checked by the services; forms shape the input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access
from core.widgets import DateInput
from organisation.choices import Role, UnitKind
from organisation.selectors import people_visible_to
from risks.choices import RiskCategory, RiskStatus


class RiskForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, help_text=_("The work unit where the hazard is.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    hazard = forms.CharField(
        label=_("Hazard"), max_length=300, help_text=_("What can cause harm, e.g. molten metal.")
    )
    situation = forms.CharField(
        label=_("Dangerous situation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    consequences = forms.CharField(
        label=_("Possible consequences"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            access.units_visible_to(user, roles={Role.ADMINISTRATOR, Role.QSE_MANAGER})
            .exclude(kind=UnitKind.COMPANY)
            .order_by("path")
        )
        self.fields["owner"].queryset = people_visible_to(user).filter(is_active=True).order_by("last_name")


class RiskEditForm(RiskForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in RiskStatus.choices if c[0] != RiskStatus.ACCEPTED],
        help_text=_("A risk is accepted only by a signed decision."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Needed to close a risk."),
    )

    def __init__(self, *args, risk, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]
        if risk.status == RiskStatus.ACCEPTED:
            self.fields["status"].choices = RiskStatus.choices


class AssessmentForm(forms.Form):
    """Ratings are the steps of the matrix version the form was drawn with; it is sent back so a
    matrix changed meanwhile is noticed (409) rather than silently applied."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    inherent_likelihood = forms.TypedChoiceField(label=_("Inherent likelihood"), coerce=int)
    inherent_severity = forms.TypedChoiceField(label=_("Inherent severity"), coerce=int)
    existing_measures = forms.CharField(
        label=_("Existing measures considered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The measures in place that the residual rating takes into account."),
    )
    residual_likelihood = forms.TypedChoiceField(label=_("Residual likelihood"), coerce=int)
    residual_severity = forms.TypedChoiceField(label=_("Residual severity"), coerce=int)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    next_review_on = forms.DateField(
        label=_("Next review"), widget=DateInput, required=False, help_text=_("One year later if left empty.")
    )
    matrix_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, matrix, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("assessed_on", timezone.localdate())
        kwargs["initial"].setdefault("matrix_version", matrix.version)
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        for name in ("inherent_likelihood", "residual_likelihood"):
            self.fields[name].choices = blank + matrix.likelihood_choices()
        for name in ("inherent_severity", "residual_severity"):
            self.fields[name].choices = blank + matrix.severity_choices()
        self.fields["assessed_on"].widget.attrs["max"] = timezone.localdate().isoformat()


def _lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()]


class MatrixForm(forms.Form):
    """The matrix as text an administrator can edit: one line per step, "English | Français"; one
    line per level, "level | minimum score | colour | text colour | English | Français"."""

    likelihood_labels = forms.CharField(
        label=_("Likelihood steps"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One line per step, lowest first: English | Français (3 to 6 steps)."),
    )
    severity_labels = forms.CharField(
        label=_("Severity steps"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One line per step, lowest first: English | Français (3 to 6 steps)."),
    )
    thresholds = forms.CharField(
        label=_("Levels"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One line per level, lowest first: low, medium, high or critical | minimum score | cell colour "
            "#rrggbb | text colour #rrggbb | English | Français."
        ),
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)

    @staticmethod
    def initial_for(matrix) -> dict:
        return {
            "likelihood_labels": "\n".join(f"{e['en']} | {e['fr']}" for e in matrix.likelihood_labels),
            "severity_labels": "\n".join(f"{e['en']} | {e['fr']}" for e in matrix.severity_labels),
            "thresholds": "\n".join(
                " | ".join(str(t[k]) for k in ("level", "min_score", "colour", "text_colour", "en", "fr"))
                for t in matrix.thresholds
            ),
        }

    def clean_likelihood_labels(self):
        return [
            {"en": p[0], "fr": p[1] if len(p) > 1 else ""}
            for p in _lines(self.cleaned_data["likelihood_labels"])
        ]

    def clean_severity_labels(self):
        return [
            {"en": p[0], "fr": p[1] if len(p) > 1 else ""}
            for p in _lines(self.cleaned_data["severity_labels"])
        ]

    def clean_thresholds(self):
        rows = []
        for parts in _lines(self.cleaned_data["thresholds"]):
            parts += [""] * (6 - len(parts))
            rows.append(
                {
                    "level": parts[0].lower(),
                    "min_score": parts[1],
                    "colour": parts[2],
                    "text_colour": parts[3],
                    "en": parts[4],
                    "fr": parts[5],
                }
            )
        return rows
