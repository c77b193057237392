from django.urls import path

from openhelp.help.routing import api

urlpatterns = [
    path("offers/", api.OfferListView.as_view(), name="offers-list"),
    path("offers/<int:pk>/", api.OfferDetailView.as_view(), name="offers-detail"),
    path("offers/<int:pk>/accept/", api.OfferAcceptView.as_view(), name="offers-accept"),
    path("offers/<int:pk>/decline/", api.OfferDeclineView.as_view(), name="offers-decline"),
    path("offers/pause/", api.PauseView.as_view(), name="offers-pause"),
    path("asks/<int:pk>/suggestions/", api.AskSuggestionsView.as_view(), name="asks-suggestions"),
]
