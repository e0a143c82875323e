from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "waypoint.roadmap"
    label = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from waypoint.plans.quality import register_addition
        from waypoint.roadmap.portable import register
        from waypoint.roadmap.selectors import roadmap_under_check

        register()
        register_addition("roadmap", roadmap_under_check)
