from django.apps import AppConfig


class MomentsConfig(AppConfig):
    name = "openhelp.community.moments"
    label = "moments"
    verbose_name = "Moments and introductions"
