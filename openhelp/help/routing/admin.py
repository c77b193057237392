from django.contrib import admin

from openhelp.help.routing.models import Offer
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(Offer)
class OfferAdmin(PrivateTextAdmin):
    private_fields = ("decline_note",)  # the mentor's own words on why not
    list_display = ["ask", "mentor", "state", "round", "score", "created_at", "expires_at", "decline_reason"]
    list_filter = ["state", "decline_reason", "round"]
    list_select_related = ["ask", "mentor"]
    search_fields = ["ask__title", "mentor__email", "mentor__profile__display_name"]
    raw_id_fields = ["ask", "mentor"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "responded_at"]
