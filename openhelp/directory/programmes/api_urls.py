from django.urls import path

from openhelp.directory.programmes import api

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
    path("programmes/<int:pk>/leave/", api.ProgrammeLeaveView.as_view(), name="programmes-leave"),
]
