from django.urls import path

from openhelp.community.moments import api

urlpatterns = [
    path("moments/", api.MomentListView.as_view(), name="moments-list"),
    path("moments/challenge/", api.ChallengeView.as_view(), name="moments-challenge"),
    path("moments/<int:pk>/", api.MomentDetailView.as_view(), name="moments-detail"),
    path("introductions/", api.IntroductionListView.as_view(), name="introductions-list"),
    path("introductions/<int:pk>/", api.IntroductionDetailView.as_view(), name="introductions-detail"),
    path("introductions/<int:pk>/answer/", api.IntroductionAnswerView.as_view(), name="introductions-answer"),
    path(
        "introductions/<int:pk>/messages/",
        api.IntroductionMessagesView.as_view(),
        name="introductions-messages",
    ),
]
