from django.urls import path

from core.api.views import me_view

urlpatterns = [path("me/", me_view, name="api-me")]


def register(router):
    """The kernel has no viewsets; its routes are in urlpatterns."""
