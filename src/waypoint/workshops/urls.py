from django.urls import path

from waypoint.workshops import views

E = "workshops/<int:workshop_id>/exercises/<int:exercise_id>/"

urlpatterns = [
    path("workshops/", views.workshop_list, name="workshop-list"),
    path("workshops/new/", views.workshop_edit, name="workshop-create"),
    path("workshops/<int:workshop_id>/", views.workshop_detail, name="workshop-detail"),
    path("workshops/<int:workshop_id>/edit/", views.workshop_edit, name="workshop-edit"),
    path("workshops/<int:workshop_id>/status/", views.workshop_status, name="workshop-status"),
    path("workshops/<int:workshop_id>/record/", views.workshop_report, name="workshop-report"),
    path("workshops/<int:workshop_id>/record.json", views.workshop_export, name="workshop-export"),
    path("workshops/<int:workshop_id>/exercises/new/", views.exercise_edit, name="exercise-create"),
    path(E + "edit/", views.exercise_edit, name="exercise-edit"),
    path(E + "status/", views.exercise_status, name="exercise-status"),
    path(E + "options/", views.exercise_options, name="exercise-options"),
    path(E, views.exercise_screen, name="exercise-screen"),
    path(E + "live/", views.exercise_live, name="exercise-live"),
    path(E + "clusters/", views.cluster_save, name="cluster-save"),
    path("workshops/<int:workshop_id>/notes/<int:note_id>/", views.note_cluster, name="note-cluster"),
    path(E + "to-plan/", views.exercise_to_plan, name="exercise-to-plan"),
    path(E + "to-proposal/", views.exercise_to_proposal, name="exercise-to-proposal"),
    path(E + "priorities/", views.exercise_priorities, name="exercise-priorities"),
    # what participants use (guests too: see middleware.GUEST_PAGES)
    path("join/", views.join, name="workshop-join"),
    path("workshops/<int:workshop_id>/play/", views.play, name="workshop-play"),
    path("workshops/<int:workshop_id>/leave/", views.leave, name="workshop-leave"),
    path(E + "notes/", views.note_add, name="note-add"),
    path(E + "dots/", views.dots_set, name="dots-set"),
    path(E + "scores/", views.score_set, name="score-set"),
    path(E + "comparisons/", views.comparison_set, name="comparison-set"),
]
