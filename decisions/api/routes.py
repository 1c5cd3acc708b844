from decisions.api.views import AlarmViewSet, DecisionViewSet


def register(router):
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("alarms", AlarmViewSet, basename="alarm")
