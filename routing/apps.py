from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = "Routing (offers to experts, escalation)"

    def ready(self) -> None:
        from people.capacity import register_capacity_source
        from routing.capacity import asks_taken_this_week

        register_capacity_source(asks_taken_this_week)
