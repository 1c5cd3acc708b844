from django.urls import path

from decisions import views, views_alarms

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("new/", views.decision_create, name="decision_create"),
    path("<int:pk>/", views.decision_detail, name="decision_detail"),
    path("<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("<int:pk>/submit/", views.decision_submit, name="decision_submit"),
    path("<int:pk>/sign/", views.decision_sign, name="decision_sign"),
    path("<int:pk>/withdraw/", views.decision_withdraw, name="decision_withdraw"),
    path("<int:pk>/revise/", views.decision_revise, name="decision_revise"),
    path("alarms/", views_alarms.alarm_list, name="alarm_list"),
    path("alarms/new/", views_alarms.alarm_create, name="alarm_create"),
    path("alarms/<int:pk>/", views_alarms.alarm_detail, name="alarm_detail"),
    path("alarms/<int:pk>/acknowledge/", views_alarms.alarm_acknowledge, name="alarm_acknowledge"),
    path("alarms/<int:pk>/answer/", views_alarms.alarm_answer, name="alarm_answer"),
    path("alarms/<int:pk>/close/", views_alarms.alarm_close, name="alarm_close"),
    path("alarms/<int:pk>/withdraw/", views_alarms.alarm_withdraw, name="alarm_withdraw"),
]
