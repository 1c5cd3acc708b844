from organisation.api.views import MembershipViewSet, PersonViewSet, UnitViewSet


def register(router):
    router.register("units", UnitViewSet, basename="unit")
    router.register("people", PersonViewSet, basename="person")
    router.register("memberships", MembershipViewSet, basename="membership")
