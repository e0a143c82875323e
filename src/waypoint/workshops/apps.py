from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "waypoint.workshops"
    label = "workshops"
    verbose_name = "Workshops"
