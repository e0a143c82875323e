from django.urls import path

from waypoint.rounds import views

urlpatterns = [
    path("plans/<int:plan_id>/rounds/", views.round_list, name="round-list"),
    path("plans/<int:plan_id>/rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round-detail"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round-edit"),
    path("rounds/<int:round_id>/status/", views.round_status, name="round-status"),
    path("rounds/<int:round_id>/consolidate/", views.round_consolidate, name="round-consolidate"),
    path("rounds/<int:round_id>/report/", views.round_report, name="round-report"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:submission_id>/submit/", views.submission_submit, name="submission-submit"),
    path("submissions/<int:submission_id>/accept/", views.submission_accept, name="submission-accept"),
    path("submissions/<int:submission_id>/return/", views.submission_return, name="submission-return"),
    path("submissions/<int:submission_id>/waive/", views.submission_waive, name="submission-waive"),
    path("submissions/<int:submission_id>/merge/", views.submission_merge, name="submission-merge"),
    path("submissions/<int:submission_id>/comment/", views.submission_comment, name="submission-comment"),
    path("submissions/<int:submission_id>/proposals/new/", views.proposal_create, name="proposal-create"),
    path("submissions/<int:submission_id>/needs/new/", views.need_create, name="need-create"),
    path("needs/<int:need_id>/delete/", views.need_delete, name="need-delete"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:proposal_id>/delete/", views.proposal_delete, name="proposal-delete"),
    path("proposals/<int:proposal_id>/review/", views.proposal_review, name="proposal-review"),
    path("proposals/<int:proposal_id>/comment/", views.proposal_comment, name="proposal-comment"),
]
