from django.urls import path

from openhelp.platform.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.settings_hub, name="settings"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("delete/", views.delete_account, name="delete"),
]
