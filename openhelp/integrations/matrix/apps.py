from django.apps import AppConfig


class MatrixConfig(AppConfig):
    name = "openhelp.integrations.matrix"
    label = "matrix"
    verbose_name = "Matrix"
