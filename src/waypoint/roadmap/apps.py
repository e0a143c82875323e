from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "waypoint.roadmap"
    label = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from waypoint.roadmap.portable import register

        register()
