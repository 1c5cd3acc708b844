from django.urls import path

from requirements import views
from requirements import views_communication as comm

app_name = "requirements"

urlpatterns = [
    path("", views.requirement_list, name="requirement_list"),
    path("new/", views.requirement_create, name="requirement_create"),
    path("import/", views.requirement_import, name="requirement_import"),
    path("<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("<int:pk>/edit/", views.requirement_edit, name="requirement_edit"),
    path("<int:pk>/versions/new/", views.version_create, name="version_create"),
    path("<int:pk>/applicability/", views.applicability_edit, name="applicability_edit"),
    path("<int:pk>/evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("<int:pk>/communicate/", comm.communicate, name="communicate"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/approve/", views.version_approve, name="version_approve"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("communications/<int:pk>/", comm.communication_detail, name="communication_detail"),
    path("communications/<int:pk>/close/", comm.communication_close, name="communication_close"),
    path("mine/", comm.my_requests, name="my_requests"),
    path("acknowledgements/<int:pk>/", comm.ack_detail, name="ack_detail"),
    path("acknowledgements/<int:pk>/answer/", comm.ack_answer, name="ack_answer"),
    path("acknowledgements/<int:pk>/exempt/", comm.ack_exempt, name="ack_exempt"),
    path("link/<str:token>/", comm.ack_link, name="ack_link"),
]
