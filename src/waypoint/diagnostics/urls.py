from django.urls import path

from waypoint.diagnostics import views

urlpatterns = [
    path("diagnostics/", views.diagnostics_home, name="diagnostics"),
    path("diagnostics/frameworks/import/", views.framework_import, name="diagnostics-framework-import"),
    path("diagnostics/frameworks/<int:framework_id>/", views.framework_detail, name="diagnostics-framework"),
    path(
        "diagnostics/frameworks/<int:framework_id>/export.<str:fmt>",
        views.framework_export,
        name="diagnostics-framework-export",
    ),
    path("diagnostics/assessments/new/", views.assessment_edit, name="diagnostics-assessment-create"),
    path("diagnostics/assessments/compare/", views.assessment_compare, name="diagnostics-compare"),
    path("diagnostics/assessments/<int:assessment_id>/", views.assessment_detail, name="diagnostics-assessment"),
    path(
        "diagnostics/assessments/<int:assessment_id>/edit/", views.assessment_edit, name="diagnostics-assessment-edit"
    ),
    path(
        "diagnostics/assessments/<int:assessment_id>/delete/",
        views.assessment_delete,
        name="diagnostics-assessment-delete",
    ),
    path(
        "diagnostics/assessments/<int:assessment_id>/rate/<str:area_code>/",
        views.ratings_edit,
        name="diagnostics-ratings",
    ),
    path(
        "diagnostics/assessments/<int:assessment_id>/recommendations/new/",
        views.recommendation_edit,
        name="diagnostics-recommendation-create",
    ),
    path(
        "diagnostics/assessments/<int:assessment_id>/recommendations/<int:recommendation_id>/",
        views.recommendation_edit,
        name="diagnostics-recommendation-edit",
    ),
    path(
        "diagnostics/assessments/<int:assessment_id>/recommendations/<int:recommendation_id>/delete/",
        views.recommendation_delete,
        name="diagnostics-recommendation-delete",
    ),
    path("plans/<int:plan_id>/coverage/", views.plan_coverage, name="plan-coverage"),
]
