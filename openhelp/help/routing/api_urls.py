from django.urls import path

from openhelp.help.routing import api, ranker_api

urlpatterns = [
    path("offers/", api.OfferListView.as_view(), name="offers-list"),
    path("offers/<int:pk>/", api.OfferDetailView.as_view(), name="offers-detail"),
    path("offers/<int:pk>/accept/", api.OfferAcceptView.as_view(), name="offers-accept"),
    path("offers/<int:pk>/decline/", api.OfferDeclineView.as_view(), name="offers-decline"),
    path("offers/pause/", api.PauseView.as_view(), name="offers-pause"),
    path("asks/<int:pk>/suggestions/", api.AskSuggestionsView.as_view(), name="asks-suggestions"),
    path("matching/rankers/", ranker_api.RankerListView.as_view(), name="matching-rankers"),
    path("matching/rankers/<int:pk>/", ranker_api.RankerDetailView.as_view(), name="matching-ranker"),
]
