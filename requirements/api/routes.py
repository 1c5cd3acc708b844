from requirements.api import views


def register(router):
    router.register("requirement-sources", views.SourceViewSet, basename="requirement-source")
    router.register("requirements", views.RequirementViewSet, basename="requirement")
    router.register("requirement-versions", views.VersionViewSet, basename="requirement-version")
    router.register("requirement-applicability", views.ApplicabilityViewSet, basename="requirement-applicability")
    router.register("requirement-evaluations", views.EvaluationViewSet, basename="requirement-evaluation")
    router.register("communications", views.CommunicationViewSet, basename="communication")
    router.register("acknowledgements", views.AcknowledgementViewSet, basename="acknowledgement")
