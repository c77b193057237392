from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "openhelp.organisers.provisioning"
    label = "provisioning"
    verbose_name = "Provisioning (SCIM 2.0)"
