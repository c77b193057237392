from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openhelp.directory.people"
    label = "people"
