from django.urls import path

from openhelp.platform.accounts import api

urlpatterns = [
    path("tokens/", api.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:token_id>/", api.TokenDetailView.as_view(), name="token-detail"),
    path("account/delete/", api.DeleteAccountView.as_view(), name="account-delete"),
]
