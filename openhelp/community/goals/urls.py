from django.urls import path

from openhelp.community.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_list, name="list"),
    path("new/", views.goal_new, name="new"),
    path("<int:pk>/", views.goal_detail, name="detail"),
    path("<int:pk>/edit/", views.goal_edit, name="edit"),
    path("<int:pk>/achieved/", views.goal_achieved, name="achieved"),
    path("<int:pk>/delete/", views.goal_delete, name="delete"),
]
