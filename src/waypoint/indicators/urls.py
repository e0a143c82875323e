from django.urls import path

from waypoint.indicators import views

urlpatterns = [
    path("plans/<int:plan_id>/indicators/", views.indicator_list, name="indicator-list"),
    path("plans/<int:plan_id>/indicators/new/", views.indicator_create, name="indicator-create"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator-edit"),
    path("indicators/<int:indicator_id>/delete/", views.indicator_delete, name="indicator-delete"),
    path("indicators/<int:indicator_id>/targets/", views.target_grid, name="target-grid"),
    path("indicators/<int:indicator_id>/targets/<str:period>/", views.target_edit, name="target-edit"),
    path("indicators/<int:indicator_id>/actuals/new/", views.actual_edit, name="actual-create"),
    path("indicators/<int:indicator_id>/actuals/<int:actual_id>/edit/", views.actual_edit, name="actual-edit"),
    path("indicators/<int:indicator_id>/actuals/<int:actual_id>/delete/", views.actual_delete, name="actual-delete"),
    path(
        "indicators/<int:indicator_id>/actuals/<int:actual_id>/evidence/", views.actual_evidence, name="actual-evidence"
    ),
]
