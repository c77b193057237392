from django.apps import AppConfig


class OfficeHoursConfig(AppConfig):
    name = "openhelp.help.officehours"
    label = "officehours"
    verbose_name = "Office hours and bookings"

    def ready(self) -> None:
        # Registries filled at start-up, not signals: people.capacity and notifications own the
        # list and call what is registered (they sit below office hours and cannot import it).
        from openhelp.directory.people.capacity import register_capacity_source
        from openhelp.help.officehours.capacity import sessions_from_bookings
        from openhelp.help.officehours.notices import register_invites

        register_capacity_source(sessions_from_bookings)
        register_invites()
