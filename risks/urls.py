from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.risk_create, name="risk_create"),
    path("<int:pk>/", views.risk_detail, name="risk_detail"),
    path("<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("<int:pk>/assess/", views.risk_assess, name="risk_assess"),
    path("matrix/", views.matrix_detail, name="matrix"),
    path("matrix/new-version/", views.matrix_edit, name="matrix_edit"),
    path("duerp/", views.duerp, name="duerp"),
]
