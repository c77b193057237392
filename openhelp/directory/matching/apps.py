from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "openhelp.directory.matching"
    label = "matching"
    verbose_name = "Matching (ranking experts for an ask)"
