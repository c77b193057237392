from django.contrib import admin

from openhelp.community.recognition.models import Endorsement, Kudos
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(Kudos)
class KudosAdmin(PrivateTextAdmin):
    # The message of a private kudos is between two people: the admin shows who and when, never what.
    private_fields = ("message",)
    list_display = ["pk", "giver", "receiver", "skill", "public", "created_at"]
    list_filter = ["public"]
    list_select_related = ["giver", "receiver", "skill"]
    raw_id_fields = ["giver", "receiver", "skill", "session"]
    search_fields = ["giver__email", "receiver__email"]
    fields = ["giver", "receiver", "skill", "message", "public", "session", "created_at"]

    def shows_private_text(self, obj) -> bool:
        return obj.public


@admin.register(Endorsement)
class EndorsementAdmin(PrivateTextAdmin):
    list_display = ["skill", "mentee", "mentor", "session", "created_at"]
    list_select_related = ["skill", "mentee", "mentor"]
    raw_id_fields = ["session", "mentor", "mentee", "skill"]
    search_fields = ["mentee__email", "mentor__email", "skill__name"]
