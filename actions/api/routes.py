from actions.api.views import ActionViewSet, DuePolicyViewSet


def register(router):
    router.register("actions", ActionViewSet, basename="action")
    router.register("action-due-policies", DuePolicyViewSet, basename="action-due-policy")
