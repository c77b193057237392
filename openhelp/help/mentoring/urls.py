from django.urls import path

from openhelp.help.mentoring.views import debrief, organiser, sessions

app_name = "mentoring"
urlpatterns = [
    path("", sessions.session_list, name="list"),
    path("export.json", sessions.export, name="export"),
    path("from-ask/<int:ask_id>/", sessions.for_ask, name="for-ask"),
    path("organiser/", organiser.overview, name="organiser"),
    path("organiser/pauses/<int:user_id>/lift/", organiser.lift, name="lift-pause"),
    path("<int:pk>/", sessions.session_detail, name="detail"),
    path("<int:pk>/plan/", sessions.session_plan, name="plan"),
    path("<int:pk>/agenda/template/", sessions.agenda_template, name="agenda-template"),
    path("<int:pk>/agenda/steps/", sessions.agenda_step_add, name="agenda-step-add"),
    path("<int:pk>/agenda/steps/<int:step_id>/tick/", sessions.agenda_step_tick, name="agenda-step-tick"),
    path("<int:pk>/notes/shared/", sessions.shared_notes, name="shared-notes"),
    path("<int:pk>/notes/private/", sessions.private_notes, name="private-notes"),
    path("<int:pk>/attendance/", sessions.session_attendance, name="attendance"),
    path("<int:pk>/debrief/", debrief.debrief_page, name="debrief"),
]
