from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "waypoint.diagnostics"
    label = "diagnostics"
    verbose_name = "Diagnostics"

    def ready(self) -> None:
        from waypoint.diagnostics.portable import register
        from waypoint.diagnostics.selectors import recommendation_choices
        from waypoint.plans.extensions import PlanExtension, register_extension

        register()
        register_extension(PlanExtension(key="diagnostics", recommendations=recommendation_choices))
