from django.urls import path

from openhelp.integrations.slack import endpoints, views

app_name = "slack"

urlpatterns = [
    # Called by Slack (signed; no session, no CSRF)
    path("events/", endpoints.events, name="events"),
    path("interactions/", endpoints.interactions_view, name="interactions"),
    path("commands/", endpoints.commands, name="commands"),
    # People
    path("", views.settings_page, name="settings"),
    path("link/<str:token>/", views.confirm_link, name="confirm-link"),
    path("workspaces/<int:workspace_id>/find-me/", views.find_me, name="find-me"),
    path("accounts/<int:account_id>/unlink/", views.unlink, name="unlink"),
    path("accounts/<int:account_id>/preferences/", views.preferences, name="preferences"),
    path("oauth/callback/", views.oauth_callback, name="oauth-callback"),
    # Organisers
    path("install/", views.install, name="install"),
    path("workspaces/", views.workspaces, name="workspaces"),
    path("workspaces/<int:workspace_id>/", views.workspace_update, name="workspace-update"),
]
