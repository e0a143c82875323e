from django.urls import path

from waypoint.core import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit-log"),
]
