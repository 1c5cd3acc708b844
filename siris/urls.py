from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api.router import router
from core.views_health import health_view
from siris.apps_list import SIRIS_APPS

api_extra = []
app_urls = []
for app in SIRIS_APPS:
    if app not in settings.INSTALLED_APPS:
        continue
    if find_spec(f"{app}.api.routes"):
        routes = import_module(f"{app}.api.routes")
        routes.register(router)
        api_extra += getattr(routes, "urlpatterns", [])
    if app != "core" and find_spec(f"{app}.urls"):
        app_urls.append(path(f"{app}/", include(f"{app}.urls")))

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("health/", health_view, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_extra + router.urls)),
    *app_urls,
]
