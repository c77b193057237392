from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "openhelp.community.recognition"
    label = "recognition"
    verbose_name = "Recognition (kudos and endorsements)"
