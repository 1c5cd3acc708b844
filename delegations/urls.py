from django.urls import path

from delegations import views

app_name = "delegations"

urlpatterns = [
    path("", views.delegation_list, name="delegation_list"),
    path("new/", views.delegation_create, name="delegation_create"),
    path("<int:pk>/", views.delegation_detail, name="delegation_detail"),
    path("<int:pk>/accept/", views.delegation_accept, name="delegation_accept"),
    path("<int:pk>/refuse/", views.delegation_refuse, name="delegation_refuse"),
    path("<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("map/", views.responsibility_map, name="responsibility_map"),
]
