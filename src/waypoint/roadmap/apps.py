from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "waypoint.roadmap"
    label = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from waypoint.plans.extensions import PlanExtension, register_extension
        from waypoint.roadmap.portable import register
        from waypoint.roadmap.selectors import caps_by_year_and_source, roadmap_under_check
        from waypoint.roadmap.tasks import register as register_work

        register()
        register_work()
        register_extension(
            PlanExtension(key="roadmap", under_check=roadmap_under_check, budget_caps=caps_by_year_and_source)
        )
