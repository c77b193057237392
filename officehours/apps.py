from django.apps import AppConfig


class OfficeHoursConfig(AppConfig):
    name = "officehours"
    verbose_name = "Office hours and bookings"

    def ready(self) -> None:
        from officehours.capacity import sessions_from_bookings
        from officehours.emails import register_invites
        from people.capacity import register_capacity_source

        register_capacity_source(sessions_from_bookings)
        register_invites()
