from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "waypoint.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from waypoint.documents import tasks
        from waypoint.documents.services import period_approved, workbook_import, workbook_into_cli
        from waypoint.documents.workbook import plan_workbook
        from waypoint.monitoring.hooks import on_period_approved
        from waypoint.plans.planfile import plan_export
        from waypoint.plans.planfile.formats import FileFormat, register_format

        tasks.register()
        # a period approved at the top: its progress report is rendered (PDF and DOCX)
        on_period_approved("documents", period_approved)
        register_format(
            FileFormat(
                name="xlsx",
                suffix=".xlsx",
                export=lambda plan: plan_workbook(plan_export(plan)),
                import_report=lambda raw, actor: workbook_import(raw, actor=actor),
                import_into=workbook_into_cli,
            )
        )
