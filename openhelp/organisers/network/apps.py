import datetime as dt

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "openhelp.organisers.network"
    label = "network"
    verbose_name = "The helper network (cross-team flow, knowledge nodes)"

    def ready(self) -> None:
        from openhelp.organisers.network import consumer
        from openhelp.organisers.network.tasks import recompute_knowledge_nodes
        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.outbox.delivery import register_consumer

        # Help links and the cross-team flow follow the domain events in the outbox (network.consumer).
        register_consumer(name=consumer.NAME, handle=consumer.handle, kinds=consumer.KINDS_READ)
        # Knowledge nodes are a snapshot: recomputed nightly, or on an organiser's "Recompute now".
        register_periodic(
            name="network.knowledge_nodes", every=dt.timedelta(hours=24), task=recompute_knowledge_nodes
        )
