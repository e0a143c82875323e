from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from waypoint.api import api_urls
from waypoint.core.health import healthz

urlpatterns = [
    # for load balancers and monitoring: no sign-in, JSON (waypoint.core.health)
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api_urls()),
    path("", include("waypoint.org.urls")),
    path("", include("waypoint.plans.urls")),
    path("", include("waypoint.indicators.urls")),
    path("", include("waypoint.roadmap.urls")),
    path("", include("waypoint.trs.urls")),
    path("", include("waypoint.diagnostics.urls")),
    path("", include("waypoint.documents.urls")),
    path("", include("waypoint.people.urls")),
    path("", include("waypoint.rounds.urls")),
    path("", include("waypoint.monitoring.urls")),
    path("", include("waypoint.workshops.urls")),
    # last: the site's own patterns (a unit's page at units/<code>/) must not shadow the apps' ones
    path("", include("waypoint.site.urls")),
]
