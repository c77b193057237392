from django.urls import path

from openhelp.help.officehours.views import asks, blocks, bookings, calendar, finding

app_name = "officehours"
urlpatterns = [
    path("", blocks.mine, name="mine"),
    path("new/", blocks.block_new, name="block-new"),
    path("preview/", blocks.block_preview, name="block-preview"),
    path("<int:pk>/edit/", blocks.block_edit, name="block-edit"),
    path("<int:pk>/delete/", blocks.block_delete, name="block-delete"),
    path("time-off/", blocks.time_off, name="time-off"),
    path("time-off/<int:pk>/delete/", blocks.time_off_delete, name="time-off-delete"),
    path("week/", finding.week, name="week"),
    path("m/<int:user_id>/", finding.mentor_page, name="mentor"),
    path("book/<int:block_id>/<str:start>/", bookings.book, name="book"),
    path("book/<int:block_id>/<str:start>/waitlist/", bookings.waitlist_join, name="waitlist-join"),
    path("waitlist/<int:pk>/leave/", bookings.waitlist_leave, name="waitlist-leave"),
    path("bookings/<int:pk>/", bookings.booking_detail, name="booking"),
    path("bookings/<int:pk>/session/", bookings.booking_session, name="booking-session"),
    path("bookings/<int:pk>/invite.ics", bookings.booking_ics, name="booking-ics"),
    path("bookings/<int:pk>/cancel/", bookings.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/reschedule/", bookings.booking_reschedule, name="booking-reschedule"),
    path("calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/rotate/", calendar.calendar_rotate, name="calendar-rotate"),
    path("calendar/<str:key>/<str:secret>.ics", calendar.feed, name="feed"),
    path("asks/<int:ask_id>/schedule/", asks.ask_schedule, name="ask-schedule"),
]
