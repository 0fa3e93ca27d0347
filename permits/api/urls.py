"""/api/v1/ on a regency subdomain: the public catalog, configuration, and the authority resolver."""
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from permits.api import open_data, views

router = SimpleRouter()
router.register("config/permit-types", views.PermitTypeViewSet, basename="config-permit-type")
router.register("config/requirements", views.RequirementViewSet, basename="config-requirement")
router.register("config/form-fields", views.FormFieldViewSet, basename="config-form-field")
router.register("config/sops", views.SopViewSet, basename="config-sop")
router.register("config/positions", views.PositionViewSet, basename="config-position")
router.register("config/delegations", views.DelegationViewSet, basename="config-delegation")
router.register("config/acting-officials", views.ActingOfficialViewSet, basename="config-acting-official")
router.register("config/local-holidays", views.LocalHolidayViewSet, basename="config-local-holiday")

urlpatterns = [
    path("catalog/permit-types/", views.PublicCatalogListAPI.as_view(), name="catalog-permit-types"),
    path("catalog/permit-types/<slug:code>/", views.PublicCatalogDetailAPI.as_view(), name="catalog-permit-type"),
    # Open data: the public register of issued permits (JSON pages, or the whole register as CSV).
    path("open-data/permits/", open_data.RegencyRegisterAPI.as_view(), name="open-data-permits"),
    path("authority/", views.AuthorityAPI.as_view(), name="authority"),
    path("", include(router.urls)),
]
