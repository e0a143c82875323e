from django.urls import path

from waypoint.roadmap import views

urlpatterns = [
    path("plans/<int:plan_id>/roadmap/", views.roadmap, name="roadmap"),
    path("plans/<int:plan_id>/roadmap/scenarios/new/", views.scenario_create, name="scenario-create"),
    path("plans/<int:plan_id>/roadmap/compare/", views.scenario_compare, name="scenario-compare"),
    path("plans/<int:plan_id>/roadmap/import/", views.roadmap_import, name="roadmap-import"),
    path("plans/<int:plan_id>/roadmap/work/", views.work_items, name="roadmap-work"),
    path("plans/<int:plan_id>/roadmap/resources/", views.resources, name="roadmap-resources"),
    path("plans/<int:plan_id>/roadmap/teams/new/", views.team_edit, name="team-create"),
    path("plans/<int:plan_id>/roadmap/teams/<int:team_id>/edit/", views.team_edit, name="team-edit"),
    path("plans/<int:plan_id>/roadmap/teams/<int:team_id>/delete/", views.team_delete, name="team-delete"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario-detail"),
    path("scenarios/<int:scenario_id>/cancel/", views.scenario_cancel, name="scenario-cancel"),
    path("scenarios/<int:scenario_id>/rename/", views.scenario_rename, name="scenario-rename"),
    path("scenarios/<int:scenario_id>/approve/", views.scenario_approve, name="scenario-approve"),
    path("scenarios/<int:scenario_id>/delete/", views.scenario_delete, name="scenario-delete"),
    path("scenarios/<int:scenario_id>/mspdi/", views.scenario_export, name="scenario-export"),
    path("elements/<int:element_id>/schedule/", views.item_edit, name="schedule-item-edit"),
    path("elements/<int:element_id>/schedule/dependencies/new/", views.dependency_add, name="dependency-add"),
    path(
        "elements/<int:element_id>/schedule/dependencies/<int:dependency_id>/delete/",
        views.dependency_delete,
        name="dependency-delete",
    ),
]
