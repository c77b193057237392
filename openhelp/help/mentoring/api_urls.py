from django.urls import path

from openhelp.help.mentoring import api, api_pauses

urlpatterns = [
    path("sessions/", api.SessionListView.as_view(), name="sessions-list"),
    path("sessions/booking-pause/", api.BookingPauseView.as_view(), name="sessions-booking-pause"),
    path("sessions/export/", api.SessionExportView.as_view(), name="sessions-export"),
    path("sessions/organiser/figures/", api_pauses.SessionFiguresView.as_view(), name="sessions-figures"),
    path("sessions/organiser/pauses/", api_pauses.PausedPeopleView.as_view(), name="sessions-pauses"),
    path(
        "sessions/organiser/pauses/<int:user_id>/lift/",
        api_pauses.LiftPauseView.as_view(),
        name="sessions-pause-lift",
    ),
    path("sessions/<int:pk>/", api.SessionDetailView.as_view(), name="sessions-detail"),
    path("sessions/<int:pk>/agenda/", api.AgendaView.as_view(), name="sessions-agenda"),
    path(
        "sessions/<int:pk>/agenda/<int:step_id>/", api.AgendaStepView.as_view(), name="sessions-agenda-step"
    ),
    path("sessions/<int:pk>/shared-notes/", api.SharedNotesView.as_view(), name="sessions-shared-notes"),
    path("sessions/<int:pk>/private-notes/", api.PrivateNoteView.as_view(), name="sessions-private-notes"),
    path("sessions/<int:pk>/debrief/", api.DebriefView.as_view(), name="sessions-debrief"),
    path("sessions/<int:pk>/attendance/", api.AttendanceView.as_view(), name="sessions-attendance"),
]
