from risks.api.views import AssessmentViewSet, RiskMatrixViewSet, RiskViewSet


def register(router):
    router.register("risks", RiskViewSet, basename="risk")
    router.register("risk-assessments", AssessmentViewSet, basename="risk-assessment")
    router.register("risk-matrices", RiskMatrixViewSet, basename="risk-matrix")
