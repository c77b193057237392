from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "openhelp.integrations.webhooks"
    label = "webhooks"
    verbose_name = "Outgoing webhooks"
