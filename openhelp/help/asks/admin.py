from django.contrib import admin

from openhelp.help.asks.models import Ask, AskEvent, Message
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin, PrivateTextInline


class AskEventInline(PrivateTextInline):
    model = AskEvent
    extra = 0
    fields = ["created_at", "kind", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # the timeline is written by asks.lifecycle only


class MessageInline(PrivateTextInline):
    # A thread is between the mentee, the co-askers and the helper.
    private_fields = ("body",)
    model = Message
    extra = 0
    fields = ["created_at", "author", "body"]
    readonly_fields = ["created_at", "author"]
    raw_id_fields = ["author"]


@admin.register(Ask)
class AskAdmin(PrivateTextAdmin):
    list_display = ["title", "mentee", "state", "mode", "urgency", "format", "created_at", "accepted_at"]
    list_filter = ["state", "mode", "urgency", "format"]
    search_fields = ["title", "objective", "mentee__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["mentee", "helper", "directed_to"]
    filter_horizontal = ["skills", "languages"]
    # State changes must go through asks.lifecycle (timeline, concurrency); the admin only reads them.
    # Co-askers join by accepting an invitation (asks.services), never because someone else added them.
    readonly_fields = [
        "co_askers",
        "state",
        "routing_round",
        "escalated_at",
        "created_at",
        "published_at",
        "accepted_at",
        "closed_at",
        "updated_at",
    ]
    inlines = [AskEventInline, MessageInline]


@admin.register(AskEvent)
class AskEventAdmin(PrivateTextAdmin):
    list_display = ["ask", "kind", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["kind", "to_state"]
    search_fields = ["ask__title", "note"]
    raw_id_fields = ["ask", "actor"]
    list_select_related = ["ask", "actor"]


@admin.register(Message)
class MessageAdmin(PrivateTextAdmin):
    private_fields = ("body",)
    list_display = ["ask", "author", "created_at"]
    search_fields = ["ask__title", "body", "author__email"]
    raw_id_fields = ["ask", "author"]
    list_select_related = ["ask", "author"]
