from django.urls import path

from openhelp.help.asks import api, api_invitations

urlpatterns = [
    path("asks/", api.AskListView.as_view(), name="asks-list"),
    path("asks/invitations/", api_invitations.InvitationListView.as_view(), name="asks-invitations"),
    path("asks/suggest-skills/", api.SuggestSkillsView.as_view(), name="asks-suggest-skills"),
    path("asks/<int:pk>/", api.AskDetailView.as_view(), name="asks-detail"),
    path("asks/<int:pk>/publish/", api.AskPublishView.as_view(), name="asks-publish"),
    path("asks/<int:pk>/cancel/", api.AskCancelView.as_view(), name="asks-cancel"),
    path("asks/<int:pk>/messages/", api.AskMessagesView.as_view(), name="asks-messages"),
    path("asks/<int:pk>/answered/", api.AskAnsweredView.as_view(), name="asks-answered"),
    path("asks/<int:pk>/complete/", api.AskCompleteView.as_view(), name="asks-complete"),
    path("asks/<int:pk>/follow-up/", api.AskFollowUpView.as_view(), name="asks-follow-up"),
    path("asks/<int:pk>/schedule/", api.AskScheduleView.as_view(), name="asks-schedule"),
    path("asks/<int:pk>/reroute/", api.AskRerouteView.as_view(), name="asks-reroute"),
    path("asks/<int:pk>/co-askers/", api.AskCoAskersView.as_view(), name="asks-co-askers"),
    path(
        "asks/<int:pk>/invitation/accept/",
        api_invitations.InvitationAcceptView.as_view(),
        name="asks-invitation-accept",
    ),
    path(
        "asks/<int:pk>/invitation/decline/",
        api_invitations.InvitationDeclineView.as_view(),
        name="asks-invitation-decline",
    ),
    path("asks/<int:pk>/leave/", api_invitations.AskLeaveView.as_view(), name="asks-leave"),
    path("asks/<int:pk>/timeline/", api.AskTimelineView.as_view(), name="asks-timeline"),
]
