from django.contrib import admin

from openhelp.help.officehours.models import (
    Booking,
    BookingEvent,
    OfficeHours,
    Reminder,
    Slot,
    TimeOff,
    WaitlistEntry,
)
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin, PrivateTextInline


@admin.register(OfficeHours)
class OfficeHoursAdmin(PrivateTextAdmin):
    list_display = ["__str__", "mentor", "start_time", "end_time", "timezone", "seats", "is_active"]
    list_filter = ["is_active", "location_kind"]
    raw_id_fields = ["mentor"]
    filter_horizontal = ["skills"]


class BookingEventInline(PrivateTextInline):
    model = BookingEvent
    extra = 0
    readonly_fields = ["kind", "actor", "from_start", "to_start", "reason", "late", "created_at"]
    can_delete = False


@admin.register(Booking)
class BookingAdmin(PrivateTextAdmin):
    private_fields = ("question",)  # written to the mentor
    # Read-only: changing a booking here would skip the locks and checks of officehours.booking.
    list_display = ["__str__", "state", "seat", "sequence", "late_cancellation"]
    list_filter = ["state", "late_cancellation"]
    inlines = [BookingEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Slot)
class SlotAdmin(PrivateTextAdmin):
    list_display = ["__str__", "office_hours", "seats", "held"]
    list_filter = ["held"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(TimeOff)
class TimeOffAdmin(PrivateTextAdmin):
    private_fields = ("note",)


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(PrivateTextAdmin):
    private_fields = ("question",)


@admin.register(Reminder)
class ReminderAdmin(PrivateTextAdmin):
    pass
