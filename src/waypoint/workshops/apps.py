from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "waypoint.workshops"
    label = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        # the plan's pages and the action register say which workshop a record came from,
        # without importing this app (it sits above both)
        from waypoint.monitoring.hooks import register_action_origins
        from waypoint.plans.extensions import PlanExtension, register_extension
        from waypoint.workshops import selectors

        register_extension(
            PlanExtension(key="workshops", element_notes=selectors.element_origins, origins=selectors.plan_origins)
        )
        register_action_origins("workshops", selectors.action_origins)
