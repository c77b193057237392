from django.urls import path

from openhelp.community.recognition import views

app_name = "recognition"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("mine/", views.mine, name="mine"),
    path("given/", views.given, name="given"),
    path("thank/<int:user_id>/", views.give, name="give"),
    path("sessions/<int:pk>/endorse/", views.endorse, name="endorse"),
]
