from django.urls import path

from openhelp.community.recognition import api

urlpatterns = [
    path("kudos/", api.KudosListView.as_view(), name="kudos-list"),
    path("kudos/feed/", api.KudosFeedView.as_view(), name="kudos-feed"),
    path("kudos/<int:pk>/", api.KudosDetailView.as_view(), name="kudos-detail"),
    path("endorsements/", api.EndorsementListView.as_view(), name="endorsements-list"),
    path("endorsements/<int:pk>/", api.EndorsementDetailView.as_view(), name="endorsements-detail"),
    path("sessions/<int:pk>/endorse/", api.SessionEndorseView.as_view(), name="sessions-endorse"),
    path("people/<int:pk>/recognition/", api.GivenSummaryView.as_view(), name="people-recognition"),
]
