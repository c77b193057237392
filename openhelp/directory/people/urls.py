from django.urls import path

from openhelp.directory.people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.me, name="me"),
    path("me/edit/", views.edit, name="edit"),
    path("me/open-to-help/", views.open_to_help, name="open-to-help"),
    path("me/learning/", views.learning, name="learning"),
    path("<int:pk>/", views.detail, name="detail"),
]
