"""Read-only admin views: policies change through their screen (service + ledger), the outbox by the tasks."""

from django.contrib import admin

from organisation.admin import ReadOnlyGovernedAdmin
from reminders.models import Digest, Notification, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(ReadOnlyGovernedAdmin):
    list_display = ("company", "kind", "anchor", "offsets", "repeat_every_days", "escalate_after", "enabled")
    list_filter = ("kind", "enabled")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "sequence", "recipient", "status", "digest", "attempts", "sent_at", "read_at")
    list_filter = ("kind", "status", "digest")
    list_select_related = ("recipient",)
    raw_id_fields = ("item", "recipient", "about")


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ("day", "recipient", "count", "sent_at")
    list_select_related = ("recipient",)
