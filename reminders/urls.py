from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", views.notification_open, name="notification_open"),
    path("inbox/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("remind/", views.remind_now, name="remind_now"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/<int:company>/<str:kind>/", views.policy_edit, name="policy_edit"),
]
