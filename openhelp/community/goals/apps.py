from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "openhelp.community.goals"
    label = "goals"
    verbose_name = "Learning goals"
