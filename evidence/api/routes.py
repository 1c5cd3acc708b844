from django.urls import path

from evidence.api.views import DossierViewSet, EvidenceViewSet, verify_view

urlpatterns = [path("dossiers/verify/", verify_view, name="dossier-verify")]


def register(router):
    router.register("evidence", EvidenceViewSet, basename="evidence")
    router.register("dossiers", DossierViewSet, basename="dossier")
