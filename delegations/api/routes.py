from django.urls import path

from delegations.api.views import DelegationViewSet, responsibility_map_view

urlpatterns = [path("responsibility-map/", responsibility_map_view, name="responsibility-map")]


def register(router):
    router.register("delegations", DelegationViewSet, basename="delegation")
