from django.apps import AppConfig


class DemoConfig(AppConfig):
    """An app only so that ``waypoint demo`` is a management command of its own."""

    name = "waypoint.demo"
    label = "demo"
    verbose_name = "Demo administration"
