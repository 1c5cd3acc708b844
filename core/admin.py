"""The audit trail in the Django admin: read-only, like everywhere else."""

from django.contrib import admin

from core.models import AccessLog, LedgerEntry, PersonalToken


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "recorded_at", "actor_label", "event_type", "target_type", "target_id")
    list_filter = ("event_type",)
    search_fields = ("target_type", "target_id", "actor_label", "hash")
    show_full_result_count = False  # a count over millions of entries is slow and adds nothing


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "kind", "path", "status_code", "ip_address")
    list_filter = ("kind",)
    list_select_related = ("user",)
    search_fields = ("path", "user__username")


@admin.register(PersonalToken)
class PersonalTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
