from django.urls import path

from openhelp.help.asks import views

app_name = "asks"
urlpatterns = [
    path("", views.ask_list, name="list"),
    path("new/", views.ask_new, name="new"),
    path("suggest-skills/", views.suggest_skills_json, name="suggest-skills"),
    path("preview/", views.preview_json, name="preview"),
    path("<int:pk>/", views.ask_detail, name="detail"),
    path("<int:pk>/edit/", views.ask_edit, name="edit"),
    path("<int:pk>/cancel/", views.ask_cancel, name="cancel"),
    path("<int:pk>/publish/", views.ask_publish, name="publish"),
    path("<int:pk>/reroute/", views.ask_reroute, name="reroute"),
    path("<int:pk>/messages/", views.ask_message, name="message"),
    path("<int:pk>/answered/", views.ask_answered, name="answered"),
    path("<int:pk>/complete/", views.ask_complete, name="complete"),
    path("<int:pk>/follow-up/", views.ask_follow_up, name="follow-up"),
    path("<int:pk>/schedule/", views.ask_schedule, name="schedule"),
    path("<int:pk>/co-askers/", views.ask_co_askers, name="co-askers"),
    path("<int:pk>/invitation/", views.ask_invitation, name="invitation"),
    path("<int:pk>/invitation/answer/", views.ask_invitation_answer, name="invitation-answer"),
    path("<int:pk>/leave/", views.ask_leave, name="leave"),
]
