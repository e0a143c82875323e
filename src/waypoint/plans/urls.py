from django.urls import path

from waypoint.plans.views import analysis, approval, budget, elements, health, plan

urlpatterns = [
    path("plans/", plan.plan_list, name="plan-list"),
    path("plans/new/", plan.plan_create, name="plan-create"),
    path("plans/import/", plan.plan_import, name="plan-import"),
    path("plans/<int:plan_id>/", plan.plan_overview, name="plan-overview"),
    path("plans/<int:plan_id>/edit/", plan.plan_edit, name="plan-edit"),
    path("plans/<int:plan_id>/status/", plan.plan_status, name="plan-status"),
    path("plans/<int:plan_id>/approval/", approval.plan_approval, name="plan-approval"),
    path("plans/<int:plan_id>/versions/compare/", approval.version_compare, name="plan-version-compare"),
    path("plans/<int:plan_id>/versions/<int:number>/", approval.version_file, name="plan-version-file"),
    path("plans/<int:plan_id>/tree/", plan.plan_tree, name="plan-tree"),
    path("plans/<int:plan_id>/elements/new/", elements.element_create, name="element-create"),
    path("plans/<int:plan_id>/logframe/", plan.logframe, name="logframe"),
    path("plans/<int:plan_id>/analysis/", analysis.analysis_board, name="analysis-board"),
    path("plans/<int:plan_id>/analysis/new/", analysis.analysis_item_edit, name="analysis-item-create"),
    path("plans/<int:plan_id>/analysis/<int:item_id>/edit/", analysis.analysis_item_edit, name="analysis-item-edit"),
    path(
        "plans/<int:plan_id>/analysis/<int:item_id>/delete/", analysis.analysis_item_delete, name="analysis-item-delete"
    ),
    path("plans/<int:plan_id>/functions/", analysis.functions_matrix, name="functions-matrix"),
    path("plans/<int:plan_id>/functions/new/", analysis.function_edit, name="function-create"),
    path("plans/<int:plan_id>/functions/<int:function_id>/edit/", analysis.function_edit, name="function-edit"),
    path("plans/<int:plan_id>/functions/<int:function_id>/delete/", analysis.function_delete, name="function-delete"),
    path(
        "plans/<int:plan_id>/functions/<int:function_id>/objectives/<int:objective_id>/",
        analysis.function_toggle,
        name="function-toggle",
    ),
    path("plans/<int:plan_id>/budget/", budget.budget_summary, name="budget-summary"),
    path("plans/<int:plan_id>/health/", health.plan_health, name="plan-health"),
    path("plans/<int:plan_id>/health/summary/", health.plan_health_summary, name="plan-health-summary"),
    path("plans/<int:plan_id>/health/rules/<str:rule>/", health.plan_health_rule, name="plan-health-rule"),
    path("elements/<int:element_id>/", elements.element_detail, name="element-detail"),
    path("elements/<int:element_id>/edit/", elements.element_edit, name="element-edit"),
    path("elements/<int:element_id>/delete/", elements.element_delete, name="element-delete"),
    path("elements/<int:element_id>/move/", elements.element_move, name="element-move"),
    path("elements/<int:element_id>/risks/new/", elements.risk_edit, name="risk-create"),
    path("elements/<int:element_id>/risks/<int:risk_id>/edit/", elements.risk_edit, name="risk-edit"),
    path("elements/<int:element_id>/risks/<int:risk_id>/delete/", elements.risk_delete, name="risk-delete"),
    path("elements/<int:element_id>/budget/new/", elements.budget_line_edit, name="budget-line-create"),
    path("elements/<int:element_id>/budget/<int:line_id>/edit/", elements.budget_line_edit, name="budget-line-edit"),
    path(
        "elements/<int:element_id>/budget/<int:line_id>/delete/", elements.budget_line_delete, name="budget-line-delete"
    ),
]
