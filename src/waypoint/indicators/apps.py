from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "waypoint.indicators"
    label = "indicators"
    verbose_name = "Indicators and results"

    def ready(self) -> None:
        from waypoint.indicators import extension, planfile

        planfile.register()
        extension.register()
