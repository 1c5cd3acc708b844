"""Read-only admin views: every write goes through the services (and their ledger entries)."""

from django.contrib import admin

from decisions.models import Alarm, AlarmAddressee, AlarmEscalation, Decision, Signature


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("subject", "revision", "unit", "status", "author", "submitted_at", "decided_at")
    list_filter = ("status", "kind")
    list_select_related = ("unit", "author")
    search_fields = ("subject",)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("decision", "signer", "meaning", "signed_at", "content_hash")
    list_select_related = ("decision", "signer")


@admin.register(Alarm)
class AlarmAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "severity", "status", "author", "raised_at", "respond_by")
    list_filter = ("status", "severity")
    list_select_related = ("unit", "author")


@admin.register(AlarmAddressee)
class AlarmAddresseeAdmin(ReadOnlyAdmin):
    list_display = ("alarm", "person", "received_at", "acknowledged_at", "answered_at")
    list_select_related = ("alarm", "person")


@admin.register(AlarmEscalation)
class AlarmEscalationAdmin(ReadOnlyAdmin):
    list_display = ("alarm", "from_addressee", "to_person", "escalated_at")
    list_select_related = ("alarm", "from_addressee", "to_person")
