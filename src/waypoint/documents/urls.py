from django.urls import path

from waypoint.documents import views

urlpatterns = [
    path("plans/<int:plan_id>/documents/", views.documents, name="documents"),
    path("plans/<int:plan_id>/documents/list/", views.render_list, name="document-list"),
    path("plans/<int:plan_id>/documents/new/", views.render_create, name="document-create"),
    path("plans/<int:plan_id>/documents/template/", views.template_upload, name="document-template"),
    path(
        "plans/<int:plan_id>/documents/template/default.docx", views.template_default, name="document-template-default"
    ),
    path("plans/<int:plan_id>/documents/actuals/", views.actuals_entry, name="actuals-entry"),
    path("plans/<int:plan_id>/workbook.xlsx", views.plan_workbook_download, name="plan-workbook"),
    path("plans/<int:plan_id>/logframe.xlsx", views.logframe_download, name="logframe-workbook"),
    path("documents/<int:render_id>/download/", views.render_download, name="document-download"),
    path("documents/<int:render_id>/delete/", views.render_delete, name="document-delete"),
    path("plans/<int:plan_id>/import/workbook/", views.plan_workbook_import, name="plan-workbook-import"),
    path("workshops/<int:workshop_id>/record.docx", views.workshop_record_docx, name="workshop-record-docx"),
    path("workshops/<int:workshop_id>/record.pdf", views.workshop_record_pdf, name="workshop-record-pdf"),
    path("plans/import/workbook/", views.workbook_import, name="workbook-import"),
    path("plans/import/logframe/", views.logframe_import, name="logframe-import"),
    path("plans/import/logframe/<int:staged_id>/", views.logframe_map, name="logframe-map"),
    path(
        "plans/import/logframe/mappings/<int:mapping_id>/delete/",
        views.logframe_mapping_delete,
        name="logframe-mapping-delete",
    ),
    path("plans/import/workbook/<int:staged_id>/", views.workbook_preview, name="workbook-preview"),
    path("plans/import/workbook/<int:staged_id>/discard/", views.workbook_discard, name="workbook-discard"),
]
