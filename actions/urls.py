from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("mine/", views.my_actions, name="my_actions"),
    path("new/", views.action_create, name="action_create"),
    path("policy/", views.due_policy, name="due_policy"),
    path("<int:pk>/", views.action_detail, name="action_detail"),
    path("<int:pk>/start/", views.action_start, name="action_start"),
    path("<int:pk>/complete/", views.action_complete, name="action_complete"),
    path("<int:pk>/verify/", views.action_verify, name="action_verify"),
    path("<int:pk>/comment/", views.action_comment, name="action_comment"),
    path("<int:pk>/postpone/", views.action_postpone, name="action_postpone"),
    path("<int:pk>/cancel/", views.action_cancel, name="action_cancel"),
    path("<int:pk>/reassign/", views.action_reassign, name="action_reassign"),
    path("<int:pk>/edit/", views.action_edit, name="action_edit"),
]
