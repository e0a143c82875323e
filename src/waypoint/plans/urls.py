from django.urls import path

from waypoint.plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:plan_id>/", views.plan_overview, name="plan-overview"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:plan_id>/status/", views.plan_status, name="plan-status"),
    path("plans/<int:plan_id>/tree/", views.plan_tree, name="plan-tree"),
    path("plans/<int:plan_id>/elements/new/", views.element_create, name="element-create"),
    path("plans/<int:plan_id>/logframe/", views.logframe, name="logframe"),
    path("plans/<int:plan_id>/analysis/", views.analysis_board, name="analysis-board"),
    path("plans/<int:plan_id>/analysis/new/", views.analysis_item_edit, name="analysis-item-create"),
    path("plans/<int:plan_id>/analysis/<int:item_id>/edit/", views.analysis_item_edit, name="analysis-item-edit"),
    path("plans/<int:plan_id>/analysis/<int:item_id>/delete/", views.analysis_item_delete, name="analysis-item-delete"),
    path("plans/<int:plan_id>/functions/", views.functions_matrix, name="functions-matrix"),
    path("plans/<int:plan_id>/functions/new/", views.function_edit, name="function-create"),
    path("plans/<int:plan_id>/functions/<int:function_id>/edit/", views.function_edit, name="function-edit"),
    path("plans/<int:plan_id>/functions/<int:function_id>/delete/", views.function_delete, name="function-delete"),
    path(
        "plans/<int:plan_id>/functions/<int:function_id>/objectives/<int:objective_id>/",
        views.function_toggle,
        name="function-toggle",
    ),
    path("plans/<int:plan_id>/budget/", views.budget_summary, name="budget-summary"),
    path("elements/<int:element_id>/", views.element_detail, name="element-detail"),
    path("elements/<int:element_id>/edit/", views.element_edit, name="element-edit"),
    path("elements/<int:element_id>/delete/", views.element_delete, name="element-delete"),
    path("elements/<int:element_id>/move/", views.element_move, name="element-move"),
    path("elements/<int:element_id>/risks/new/", views.risk_edit, name="risk-create"),
    path("elements/<int:element_id>/risks/<int:risk_id>/edit/", views.risk_edit, name="risk-edit"),
    path("elements/<int:element_id>/risks/<int:risk_id>/delete/", views.risk_delete, name="risk-delete"),
    path("elements/<int:element_id>/budget/new/", views.budget_line_edit, name="budget-line-create"),
    path("elements/<int:element_id>/budget/<int:line_id>/edit/", views.budget_line_edit, name="budget-line-edit"),
    path("elements/<int:element_id>/budget/<int:line_id>/delete/", views.budget_line_delete, name="budget-line-delete"),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
]
