from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "waypoint.roadmap"
    label = "roadmap"
    verbose_name = "Roadmap"
