from django.urls import path

from openhelp.directory.programmes import api, api_invite

urlpatterns = [
    path("programmes/", api.ProgrammeListView.as_view(), name="programmes-list"),
    path("programmes/join/", api.ProgrammeJoinView.as_view(), name="programmes-join"),
    path("programmes/<int:pk>/", api.ProgrammeDetailView.as_view(), name="programmes-detail"),
    path("programmes/<int:pk>/members/", api.ProgrammeMembersView.as_view(), name="programmes-members"),
    path(
        "programmes/<int:pk>/members/<int:user_id>/",
        api.ProgrammeMemberView.as_view(),
        name="programmes-member",
    ),
    path(
        "programmes/<int:pk>/join/", api.ProgrammeDomainJoinView.as_view(), name="programmes-join-by-domain"
    ),
    path("programmes/<int:pk>/leave/", api.ProgrammeLeaveView.as_view(), name="programmes-leave"),
    path(
        "programmes/<int:pk>/accept-code-of-conduct/",
        api.ProgrammeAcceptCodeView.as_view(),
        name="programmes-accept-code-of-conduct",
    ),
    path("programmes/<int:pk>/invite/", api_invite.ProgrammeInviteView.as_view(), name="programmes-invite"),
    path(
        "programmes/<int:pk>/invite/rotate/",
        api_invite.ProgrammeInviteRotateView.as_view(),
        name="programmes-invite-rotate",
    ),
]
