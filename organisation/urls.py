from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("roles/new/", views.membership_create, name="membership_create"),
    path("roles/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("auditors/", views.auditor_list, name="auditor_list"),
    path("auditors/new/", views.auditor_grant, name="auditor_grant"),
]
