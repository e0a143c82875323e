from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "waypoint.people"
    label = "people"
    verbose_name = _("Workforce and training")

    def ready(self) -> None:
        from waypoint.people.extension import functions_panel, initiative_panel
        from waypoint.people.tasks import register as register_work
        from waypoint.plans.extensions import PlanExtension, register_extension

        register_work()
        register_extension(PlanExtension(key="people", element_panels=initiative_panel, plan_panels=functions_panel))
