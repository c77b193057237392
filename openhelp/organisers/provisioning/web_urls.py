"""/provisioning/: the organisers' page for SCIM tokens (the protocol itself is at /scim/v2/, urls.py)."""

from django.urls import path

from openhelp.organisers.provisioning import web_views

app_name = "provisioning-web"

urlpatterns = [
    path("", web_views.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", web_views.token_revoke, name="token-revoke"),
]
