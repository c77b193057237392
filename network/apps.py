from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "The helper network (cross-team flow, knowledge nodes)"

    def ready(self) -> None:
        from network import receivers

        receivers.connect()

        import datetime as dt

        from core.periodic import register_periodic
        from network.tasks import recompute_knowledge_nodes, reconcile_team_flow

        # Knowledge nodes are a snapshot: recomputed nightly, or on an organiser's "Recompute now".
        register_periodic(
            name="network.knowledge_nodes", every=dt.timedelta(hours=24), task=recompute_knowledge_nodes
        )
        # Team changes and programme members added in bulk (no signals) reach the cross-team flow here.
        register_periodic(name="network.team_flow", every=dt.timedelta(minutes=10), task=reconcile_team_flow)
