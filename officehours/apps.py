from django.apps import AppConfig


class OfficeHoursConfig(AppConfig):
    name = "officehours"
    verbose_name = "Office hours and bookings"

    def ready(self) -> None:
        # Registries filled at start-up, not signals: people.capacity and notifications own the
        # list and call what is registered (they sit below office hours and cannot import it).
        from officehours.capacity import sessions_from_bookings
        from officehours.notices import register_invites
        from people.capacity import register_capacity_source

        register_capacity_source(sessions_from_bookings)
        register_invites()
