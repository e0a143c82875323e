from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "waypoint.org"
    label = "org"
    verbose_name = "Organisation and people"
