from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "waypoint.rounds"
    label = "rounds"
    verbose_name = "Planning rounds"

    def ready(self) -> None:
        from waypoint.org.notifications import register_reminders
        from waypoint.org.work import register_provider
        from waypoint.plans.extensions import PlanExtension, register_extension
        from waypoint.rounds.portable import register
        from waypoint.rounds.reminders import deadline_reminders
        from waypoint.rounds.selectors import attribution_notes, work_waiting

        register()
        register_extension(PlanExtension(key="rounds", element_notes=attribution_notes))
        register_provider("rounds", work_waiting)
        register_reminders("rounds", deadline_reminders)
