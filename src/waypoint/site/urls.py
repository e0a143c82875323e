from django.urls import path

from waypoint.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit-log"),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
]
