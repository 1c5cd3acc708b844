"""The one API router. Each Siris app's ``api/routes.py`` has ``register(router)`` and may
have ``urlpatterns`` for routes that are not viewsets; siris/urls.py collects both."""

from rest_framework import routers

router = routers.DefaultRouter()
