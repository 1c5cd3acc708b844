from reminders.api.views import NotificationViewSet, ReminderPolicyViewSet


def register(router):
    router.register("reminder-policies", ReminderPolicyViewSet, basename="reminder-policy")
    router.register("notifications", NotificationViewSet, basename="notification")
