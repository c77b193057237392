"""/scim/v2/: the SCIM 2.0 endpoints (RFC 7644). The organisers' token page is in web_urls.py."""

from django.urls import path, re_path

from openhelp.organisers.provisioning import views

app_name = "provisioning"

urlpatterns = [
    path("Users", views.users, name="users"),
    path("Users/<str:resource_id>", views.user, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/<str:resource_id>", views.group, name="group"),
    path("ServiceProviderConfig", views.service_provider_config, name="service-provider-config"),
    path("ResourceTypes", views.resource_types, name="resource-types"),
    path("ResourceTypes/<str:name>", views.resource_types, name="resource-type"),
    path("Schemas", views.schemas, name="schemas"),
    re_path(r"^Schemas/(?P<urn>[^/]+)$", views.schemas, name="schema"),
]
