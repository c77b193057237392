"""Admin: sessions and their public parts. Private notes are not registered at all and the private
feedback to a mentor is private text (lib.admin_privacy): nobody but their author (and, for feedback, the mentor) reads them,
administrators included."""

from django.contrib import admin

from openhelp.help.mentoring.models import AgendaStep, Attendance, BookingPauseLift, Debrief, Session
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin, PrivateTextInline


class AgendaStepInline(PrivateTextInline):
    model = AgendaStep
    extra = 0
    fields = ["position", "title", "minutes", "done_at"]
    readonly_fields = ["done_at"]


class AttendanceInline(PrivateTextInline):
    model = Attendance
    fk_name = "session"
    extra = 0
    fields = ["reporter", "kind", "absent", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(PrivateTextAdmin):
    list_display = ["title", "mentee", "mentor", "format", "state", "starts_at"]
    list_filter = ["state", "format"]
    search_fields = ["title", "mentee__email", "mentor__email"]
    raw_id_fields = ["mentee", "mentor", "ask", "booking"]
    filter_horizontal = ["skills"]
    readonly_fields = ["created_at", "updated_at", "completed_at", "cancelled_at", "debrief_reminder_sent_at"]
    inlines = [AgendaStepInline, AttendanceInline]


@admin.register(Debrief)
class DebriefAdmin(PrivateTextAdmin):
    list_display = ["session", "outcome", "mentee_consents_to_publish", "mentor_consents_to_publish"]
    list_filter = ["outcome"]
    raw_id_fields = ["session"]
    private_fields = ("feedback_to_mentor", "rating")
    readonly_fields = ["published_at", "created_at"]


@admin.register(BookingPauseLift)
class BookingPauseLiftAdmin(PrivateTextAdmin):
    list_display = ["user", "lifted_by", "created_at", "note"]
    raw_id_fields = ["user", "lifted_by"]
