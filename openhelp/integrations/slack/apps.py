from django.apps import AppConfig


class SlackConfig(AppConfig):
    name = "openhelp.integrations.slack"
    label = "slack"
    verbose_name = "Slack"
