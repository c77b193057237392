from django.urls import path

from openhelp.directory.people import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="people-me"),
    path("me/skills-offered/", api.MySkillsOfferedView.as_view(), name="people-me-skills-offered"),
    path("me/skills-wanted/", api.MySkillsWantedView.as_view(), name="people-me-skills-wanted"),
    path("people/", api.PeopleListView.as_view(), name="people-list"),
    path("people/<int:pk>/", api.PersonView.as_view(), name="people-detail"),
]
