from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "waypoint.indicators"
    label = "indicators"
    verbose_name = "Indicators and results"
