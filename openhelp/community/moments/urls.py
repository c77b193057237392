from django.urls import path

from openhelp.community.moments import views

app_name = "moments"
urlpatterns = [
    path("", views.moment_list, name="list"),
    path("<int:pk>/edit/", views.moment_edit, name="edit"),
    path("<int:pk>/delete/", views.moment_delete, name="delete"),
    path("introductions/", views.introduction_list, name="introductions"),
    path("introductions/<int:pk>/", views.introduction_detail, name="introduction"),
    path("introductions/<int:pk>/answer/", views.introduction_answer, name="introduction-answer"),
    path("introductions/<int:pk>/messages/", views.introduction_message, name="introduction-message"),
]
