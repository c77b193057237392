from django.urls import path

from openhelp.directory.skills import views

app_name = "skills"
urlpatterns = [
    path("", views.skill_list, name="list"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("propose/", views.propose, name="propose"),
    path("moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/", views.skill_detail, name="detail"),
    path("<slug:slug>/approve/", views.approve, name="approve"),
    path("<slug:slug>/reject/", views.reject, name="reject"),
    path("<slug:slug>/rename/", views.rename, name="rename"),
    path("<slug:slug>/merge/", views.merge, name="merge"),
]
