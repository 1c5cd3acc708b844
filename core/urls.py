from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("me/", views.profile_view, name="profile"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("language/", views.set_language_view, name="set_language"),
    path("ledger/", views.ledger_view, name="ledger"),
]
