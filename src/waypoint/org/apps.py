from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "waypoint.org"
    label = "org"
    verbose_name = "Organisation and people"

    def ready(self) -> None:
        from waypoint.core import work
        from waypoint.org.notifications import deliver_pending, send_reminders

        # e-mails a mail server refused, and daily digests, go out without a cron job too;
        # so do the apps' reminders (a planning round's deadline): each is made once per occasion
        work.register_chore("notifications", deliver_pending)
        work.register_chore("reminders", send_reminders)
