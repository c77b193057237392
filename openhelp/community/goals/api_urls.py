from django.urls import path

from openhelp.community.goals import api

urlpatterns = [
    path("goals/", api.GoalListView.as_view(), name="goals-list"),
    path("goals/<int:pk>/", api.GoalDetailView.as_view(), name="goals-detail"),
]
