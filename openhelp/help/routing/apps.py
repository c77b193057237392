import datetime as dt

from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "openhelp.help.routing"
    label = "routing"
    verbose_name = "Routing (offers to experts, escalation)"

    def ready(self) -> None:
        from openhelp.directory.people.capacity import register_capacity_source
        from openhelp.help.routing.capacity import asks_taken_this_week

        register_capacity_source(asks_taken_this_week)

        from openhelp.help.routing.learned_tasks import fit_rankers_task
        from openhelp.help.routing.tasks import route_forgotten_asks_task
        from openhelp.platform.core.periodic import register_periodic

        # Published asks whose routing task was lost get their first round (routing.services).
        register_periodic(
            name="routing.forgotten_asks", every=dt.timedelta(minutes=1), task=route_forgotten_asks_task
        )
        # The learned rankers are refitted (and guarded) from the day's outcomes (routing.learned).
        register_periodic(name="routing.fit_rankers", every=dt.timedelta(hours=24), task=fit_rankers_task)
