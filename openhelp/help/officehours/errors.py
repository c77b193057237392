"""Domain errors of booking: each is a valid request the current state does not allow (HTTP 409)."""

from __future__ import annotations


class BookingConflict(Exception):
    code = "conflict"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SlotFull(BookingConflict):
    """Every seat is taken; the waiting list is open."""

    code = "slot_full"


class AlreadyBooked(BookingConflict):
    code = "already_booked"


class Overlap(BookingConflict):
    """Someone involved already has something at that time."""

    code = "overlap"


class CapReached(BookingConflict):
    """The mentor's daily cap or weekly capacity is used up."""

    code = "cap_reached"


class SeatTaken(BookingConflict):
    """The database refused the write: someone took it a moment before (the backstop fired)."""

    code = "taken"


class NotChangeable(BookingConflict):
    code = "not_changeable"


class BookingPaused(BookingConflict):
    """Booking is paused for repeated no-shows (``openhelp.help.mentoring.attendance.booking_paused_reason``)."""

    code = "booking_paused"
