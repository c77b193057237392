from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from insights import receivers

        receivers.connect()

        import datetime as dt

        from core.periodic import register_periodic
        from insights.tasks import refresh_insights_task, refresh_recent_insights_task

        # Dirty days are refreshed after each change; these catch a lost task and any unseen change.
        register_periodic(
            name="insights.refresh_dirty", every=dt.timedelta(minutes=10), task=refresh_insights_task
        )
        register_periodic(
            name="insights.refresh_recent", every=dt.timedelta(hours=6), task=refresh_recent_insights_task
        )
