from django.urls import path

from openhelp.help.routing import ranker_views, views

app_name = "routing"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/accept/", views.accept, name="accept"),
    path("offers/<int:pk>/decline/", views.decline, name="decline"),
    path("pause/", views.pause, name="pause"),
    path("resume/", views.resume, name="resume"),
    path("asks/<int:ask_id>/suggestions/", views.suggestions, name="suggestions"),
    path("matching/", ranker_views.ranker, name="ranker"),
    path("matching/<int:pk>/switch/", ranker_views.ranker_switch, name="ranker-switch"),
]
