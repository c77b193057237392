from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "openhelp.help.routing"
    label = "routing"
    verbose_name = "Routing (offers to experts, escalation)"

    def ready(self) -> None:
        from openhelp.directory.people.capacity import register_capacity_source
        from openhelp.help.routing.capacity import asks_taken_this_week

        register_capacity_source(asks_taken_this_week)
