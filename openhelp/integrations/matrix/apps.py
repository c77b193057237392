import datetime as dt

from django.apps import AppConfig


class MatrixConfig(AppConfig):
    name = "openhelp.integrations.matrix"
    label = "matrix"
    verbose_name = "Matrix"

    def ready(self) -> None:
        from openhelp.integrations.matrix import offers
        from openhelp.integrations.matrix.tasks import sync_matrix
        from openhelp.integrations.matrix.transport import MatrixTransport
        from openhelp.platform.core.periodic import register_periodic
        from openhelp.platform.notifications.chat import register_chat_transport
        from openhelp.platform.outbox.delivery import register_consumer

        # Notifications reach linked people as DMs; offer messages are edited when the offer closes.
        register_chat_transport(MatrixTransport())
        register_consumer(name=offers.NAME, handle=offers.handle, kinds=offers.KINDS_READ)
        # A fallback when no `matrix_sync --loop` runs: commands are then answered within a minute.
        register_periodic(name="matrix.sync", every=dt.timedelta(minutes=1), task=sync_matrix)
