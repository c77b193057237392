from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "openhelp.directory.skills"
    label = "skills"
