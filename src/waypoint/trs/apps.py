from django.apps import AppConfig


class TrsConfig(AppConfig):
    name = "waypoint.trs"
    label = "trs"
    verbose_name = "Time Release Studies"

    def ready(self) -> None:
        from waypoint.trs.tasks import register

        register()
