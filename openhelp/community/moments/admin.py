"""Admin: only what operators need. Moments (private by default), introduction notes, individual answers
and threads are personal and are deliberately not shown here."""

from django.contrib import admin

from openhelp.community.moments.models import Introduction, ReflectionPrompt
from openhelp.platform.lib.admin_privacy import PrivateTextAdmin


@admin.register(Introduction)
class IntroductionAdmin(PrivateTextAdmin):
    private_fields = ("note",)
    list_display = ["pk", "introducer", "state", "created_at", "connected_at", "closed_at"]
    list_filter = ["state"]
    list_select_related = ["introducer"]
    fields = ["introducer", "first", "second", "state", "created_at", "connected_at", "closed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(ReflectionPrompt)
class ReflectionPromptAdmin(PrivateTextAdmin):
    list_display = ["user", "week_start", "run_at", "sent_at", "skipped"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
