from django.urls import path

from controls.api.views import ControlViewSet, InspectionViewSet, report_view

urlpatterns = [path("controls-report/", report_view, name="controls-report")]


def register(router):
    router.register("controls", ControlViewSet, basename="control")
    router.register("inspections", InspectionViewSet, basename="inspection")
