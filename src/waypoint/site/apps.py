from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "waypoint.site"
    label = "site"
    verbose_name = "Site pages"
