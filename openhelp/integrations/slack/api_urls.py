from django.urls import path

from openhelp.integrations.slack import api

urlpatterns = [
    path("slack/accounts/", api.AccountListView.as_view(), name="slack-accounts-list"),
    path("slack/accounts/<int:pk>/", api.AccountDetailView.as_view(), name="slack-accounts-detail"),
    path("slack/links/<str:token>/", api.LinkDetailView.as_view(), name="slack-links-detail"),
    path("slack/links/<str:token>/confirm/", api.ConfirmLinkView.as_view(), name="slack-links-confirm"),
    path("slack/workspaces/", api.WorkspaceListView.as_view(), name="slack-workspaces-list"),
    path("slack/workspaces/<int:pk>/", api.WorkspaceDetailView.as_view(), name="slack-workspaces-detail"),
    path("slack/workspaces/<int:pk>/find-me/", api.FindMeView.as_view(), name="slack-workspaces-find-me"),
]
