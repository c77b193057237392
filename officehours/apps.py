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

        from accounts.signals import account_deleting
        from officehours.changes import cancel_for_deleted_account

        account_deleting.connect(
            cancel_for_deleted_account, dispatch_uid="officehours.cancel_for_deleted_account"
        )
