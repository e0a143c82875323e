from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "waypoint.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring cycles and follow-up actions"

    def ready(self) -> None:
        from waypoint.indicators import locks
        from waypoint.monitoring import reminders, selectors
        from waypoint.org import notifications, work
        from waypoint.plans.extensions import PlanExtension, register_extension

        locks.register("monitoring", selectors.lock_reason)
        work.register_provider("monitoring", selectors.work_items)
        # made by the "reminders" chore (org.apps: the worker between tasks) and by
        # ``waypoint notifications`` (cron), with the planning rounds' deadlines
        notifications.register_reminders("monitoring", reminders.send_reminders)
        register_extension(PlanExtension("monitoring", overdue=selectors.overdue_items))
