from django.contrib import admin

from recognition.models import Endorsement, Kudos


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    # The message of a private kudos is between two people: the admin shows who and when, never what.
    list_display = ["pk", "giver", "receiver", "skill", "public", "created_at"]
    list_filter = ["public"]
    list_select_related = ["giver", "receiver", "skill"]
    raw_id_fields = ["giver", "receiver", "skill", "session"]
    search_fields = ["giver__email", "receiver__email"]

    def get_fields(self, request, obj=None):
        fields = ["giver", "receiver", "skill", "public", "session", "created_at"]
        return fields if obj is not None and not obj.public else [*fields[:4], "message", *fields[4:]]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["skill", "mentee", "mentor", "session", "created_at"]
    list_select_related = ["skill", "mentee", "mentor"]
    raw_id_fields = ["session", "mentor", "mentee", "skill"]
    search_fields = ["mentee__email", "mentor__email", "skill__name"]
