from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "waypoint.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics"

    def ready(self) -> None:
        from waypoint.diagnostics.portable import register

        register()
