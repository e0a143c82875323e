from django.urls import path

from waypoint.monitoring import views

urlpatterns = [
    path("plans/<int:plan_id>/monitoring/", views.dashboard, name="monitoring-dashboard"),
    path("plans/<int:plan_id>/monitoring/calendar/", views.calendar_edit, name="monitoring-calendar"),
    path("plans/<int:plan_id>/reporting/", views.my_reporting, name="monitoring-my-reporting"),
    path("reports/<int:submission_id>/", views.report, name="monitoring-report"),
    path("reports/<int:submission_id>/decide/", views.report_decide, name="monitoring-decide"),
    path(
        "reports/<int:submission_id>/evidence/<int:assignment_id>/",
        views.assignment_evidence,
        name="monitoring-evidence",
    ),
    path("plans/<int:plan_id>/actions/", views.action_list, name="action-list"),
    path("plans/<int:plan_id>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:action_id>/", views.action_detail, name="action-detail"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:action_id>/status/", views.action_status, name="action-status"),
    path("actions/<int:action_id>/comment/", views.action_comment, name="action-comment"),
    path("actions/<int:action_id>/evidence/", views.action_evidence, name="action-evidence"),
    path("plans/<int:plan_id>/meetings/", views.meeting_list, name="meeting-list"),
    path("plans/<int:plan_id>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting-edit"),
]
