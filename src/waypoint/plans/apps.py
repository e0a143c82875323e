from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "waypoint.plans"
    label = "plans"
    verbose_name = "Strategic plans"
