from django.urls import path

from openhelp.integrations.matrix import api

urlpatterns = [
    path("matrix/link/", api.LinkView.as_view(), name="matrix-link"),
    path("matrix/bot/", api.BotView.as_view(), name="matrix-bot"),
]
