from django.urls import path

from openhelp.help.officehours import api

urlpatterns = [
    path("office-hours/", api.OfficeHoursListView.as_view(), name="office-hours-list"),
    path("office-hours/slots/", api.SlotsView.as_view(), name="office-hours-slots"),
    path("office-hours/time-off/", api.TimeOffListView.as_view(), name="office-hours-time-off"),
    path(
        "office-hours/time-off/<int:pk>/",
        api.TimeOffDetailView.as_view(),
        name="office-hours-time-off-detail",
    ),
    path("office-hours/<int:pk>/", api.OfficeHoursDetailView.as_view(), name="office-hours-detail"),
    path("bookings/", api.BookingListView.as_view(), name="bookings-list"),
    path("bookings/<int:pk>/", api.BookingDetailView.as_view(), name="bookings-detail"),
    path("bookings/<int:pk>/invite/", api.BookingInviteView.as_view(), name="bookings-invite"),
    path("bookings/<int:pk>/cancel/", api.BookingCancelView.as_view(), name="bookings-cancel"),
    path("bookings/<int:pk>/reschedule/", api.BookingRescheduleView.as_view(), name="bookings-reschedule"),
    path("waitlist/", api.WaitlistView.as_view(), name="waitlist-list"),
    path("waitlist/<int:pk>/", api.WaitlistEntryView.as_view(), name="waitlist-detail"),
    path("calendar/", api.CalendarView.as_view(), name="calendar"),
    path("calendar/rotate/", api.CalendarRotateView.as_view(), name="calendar-rotate"),
]
