from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.utils.translation import gettext_lazy as _

from reminders.choices import Anchor


class PolicyForm(forms.Form):
    anchor = forms.ChoiceField(label=_("Count days from"), choices=Anchor.choices)
    offsets = SimpleArrayField(
        forms.IntegerField(min_value=-365, max_value=365),
        label=_("Reminder days"),
        max_length=10,
        required=False,
        help_text=_(
            "Days from that date, separated by commas: -3,0 is three days before and on the day; "
            "3,7 is three and seven days after it was asked."
        ),
    )
    repeat_every_days = forms.IntegerField(
        label=_("Then every (days)"),
        min_value=0,
        max_value=365,
        help_text=_("0: no more reminders after the listed days."),
    )
    escalate_after = forms.IntegerField(
        label=_("Tell the manager after (reminders)"),
        min_value=0,
        max_value=50,
        help_text=_("After this many unanswered reminders the next one also goes to the person's manager. 0: never."),
    )
    escalate_again_after = forms.IntegerField(
        label=_("Then tell the manager's manager after (more reminders)"),
        min_value=0,
        max_value=50,
        help_text=_("0: never."),
    )
    send_hour = forms.IntegerField(label=_("Hour of sending"), min_value=0, max_value=23)
    enabled = forms.BooleanField(label=_("Send reminders for this kind"), required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)


class InboxFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[("", _("All")), ("unread", _("Unread only"))])
